package io.worldmesh.app;

import java.util.Locale;

/** The faults {@code chaos} injects into a cluster of real processes; the names are its interface. */
enum Fault {
    /** SIGKILL to a node that owns cells: the others take its cells and players from their checkpoints. */
    KILL_NODE,
    /** SIGSTOP to a node for twice its lease, then SIGCONT: it is taken over meanwhile and must never simulate again. */
    STOP_NODE,
    /** SIGKILL to a gateway: its clients reconnect to another and resume; it is started again. */
    KILL_GATEWAY,
    /** SIGKILL to redis-server and a start again on its append-only file: handovers and checkpoints wait. */
    RESTART_REDIS,
    /**
     * SIGKILL to redis-server, and a start again on its append-only file only after twice the lease: every lease runs
     * out meanwhile, the nodes hold their players frozen, and when Redis is back nobody is taken over.
     */
    REDIS_DOWN,
    /**
     * The network to a node that owns cells breaks (its {@link FaultProxy}, which gateways and peers go through), in
     * turn: dropped (reset and refused), half-open (silent), a 300 ms delay, each for twice the lease, or a reset.
     */
    NETWORK;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Fault parse(String label) {
        try {
            return valueOf(label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault '" + label + "'; one of kill_node, stop_node, "
                    + "kill_gateway, restart_redis, redis_down, network");
        }
    }
}
