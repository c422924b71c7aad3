package io.worldmesh.node.core;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which other nodes are dead (rule 12), from the directory's live leases as this node reads them. A node is dead
 * once this node has seen it hold its lease and the lease is gone, but only after the directory has answered every
 * reading for a whole TTL: after an outage of the directory every lease may have lapsed, and the owners must get
 * one TTL to renew before anyone takes their players (a node cut off from a working directory is not given that
 * grace: the others go on reading). A node never seen alive (not started yet) is never dead. Plain code.
 *
 * <p>The grace also starts again when two readings are more than two thirds of a TTL apart: this node was not
 * watching in between (it was paused, or itself past its lease and waiting for the directory), so it cannot know that
 * the directory answered the others meanwhile. An outage long enough to lapse a lease it never saw would otherwise
 * let it take over, at its first reading, owners that are renewing right then.
 */
final class DeathWatch {

    private final String self;
    private final long ttlNanos;
    /** Each node seen holding its lease, with the last incarnation seen holding it. */
    private final Map<String, Long> seen = new HashMap<>();
    private Map<String, Long> live = Map.of();
    private boolean answering;
    private long answeringSince;
    private long lastReadAt;

    DeathWatch(String self, long ttlNanos) {
        this.self = self;
        this.ttlNanos = ttlNanos;
    }

    /** The directory's live leases, read at {@code now}. */
    void leasesRead(Map<String, Long> leases, long now) {
        if (!answering || now - lastReadAt > 2 * ttlNanos / 3) {
            answering = true;
            answeringSince = now;
        }
        lastReadAt = now;
        live = new TreeMap<>(leases); // sorted: which dead node is taken first is the same in every run
        leases.forEach((node, incarnation) -> {
            if (!node.equals(self)) {
                seen.put(node, incarnation);
            }
        });
    }

    /** A reading failed: the grace starts again with the next answer. */
    void readFailed() {
        answering = false;
    }

    /** The dead nodes, each with the last incarnation seen holding its lease; in id order. */
    Map<String, Long> dead(long now) {
        Map<String, Long> dead = new TreeMap<>();
        if (answering && now - answeringSince >= ttlNanos) {
            seen.forEach((node, incarnation) -> {
                if (!live.containsKey(node)) {
                    dead.put(node, incarnation);
                }
            });
        }
        return dead;
    }

    /**
     * Whether this node is the one to take over: the live node with the lowest id, so that the others leave it be
     * (should two decide at once, the directory's compare-and-sets let one win, cell by cell and player by player).
     */
    boolean isTaker() {
        return live.keySet().stream().allMatch(node -> node.compareTo(self) >= 0);
    }

    /** The dead node's players and cells have been taken: it is not dead again until it is seen alive again. */
    void takenOver(String node) {
        seen.remove(node);
    }
}
