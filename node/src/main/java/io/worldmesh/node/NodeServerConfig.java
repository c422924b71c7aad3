package io.worldmesh.node;

import io.worldmesh.api.Game;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.protocol.tls.TlsFiles;

import java.util.function.BooleanSupplier;

/**
 * Everything a node process is started with. {@code world} must agree with {@code cluster} (grid, tick rate); the
 * caller has checked that against the directory.
 *
 * @param advertisedHost  the host peers and gateways reach this node at (its listen host unless that is 0.0.0.0)
 * @param crossNodeEnabled the {@code cross-node-handover} flag, read at every crossing
 * @param benchHooks       serve the benchmark-only {@code /bench/...} endpoints; off in production
 * @param durability       the node's lease and checkpoint interval
 * @param advertisedPort   the port peers and gateways reach this node at, when that is not the one it listens on
 *                         (a forwarder in between); 0 for the listening port
 * @param tls              with a certificate, the node's HTTP server (handover API, gateway links) is TLS only and
 *                         its URL {@code https}; its trust is what the node trusts calling {@code https} peers
 */
public record NodeServerConfig(String nodeId, String host, int port, String advertisedHost, WorldSettings world,
                               Game game, ClusterSettings cluster, CellAssignment assignment, HandoverSettings handover,
                               BooleanSupplier crossNodeEnabled, int mailboxCapacity, boolean benchHooks,
                               NodeDurability durability, int advertisedPort, TlsFiles tls) {

    public NodeServerConfig {
        if (tls == null) {
            throw new IllegalArgumentException("tls must be given (TlsFiles.NONE for none)");
        }
    }

    /** A node without TLS. */
    public NodeServerConfig(String nodeId, String host, int port, String advertisedHost, WorldSettings world,
                            Game game, ClusterSettings cluster, CellAssignment assignment, HandoverSettings handover,
                            BooleanSupplier crossNodeEnabled, int mailboxCapacity, boolean benchHooks,
                            NodeDurability durability, int advertisedPort) {
        this(nodeId, host, port, advertisedHost, world, game, cluster, assignment, handover, crossNodeEnabled,
                mailboxCapacity, benchHooks, durability, advertisedPort, TlsFiles.NONE);
    }

    /** A node reached at the port it listens on. */
    public NodeServerConfig(String nodeId, String host, int port, String advertisedHost, WorldSettings world,
                            Game game, ClusterSettings cluster, CellAssignment assignment, HandoverSettings handover,
                            BooleanSupplier crossNodeEnabled, int mailboxCapacity, boolean benchHooks,
                            NodeDurability durability) {
        this(nodeId, host, port, advertisedHost, world, game, cluster, assignment, handover, crossNodeEnabled,
                mailboxCapacity, benchHooks, durability, 0);
    }

    /** A node without a lease or checkpoints. */
    public NodeServerConfig(String nodeId, String host, int port, String advertisedHost, WorldSettings world,
                            Game game, ClusterSettings cluster, CellAssignment assignment, HandoverSettings handover,
                            BooleanSupplier crossNodeEnabled, int mailboxCapacity, boolean benchHooks) {
        this(nodeId, host, port, advertisedHost, world, game, cluster, assignment, handover, crossNodeEnabled,
                mailboxCapacity, benchHooks, NodeDurability.NONE);
    }

    /** A node without the benchmark hooks, a lease or checkpoints. */
    public NodeServerConfig(String nodeId, String host, int port, String advertisedHost, WorldSettings world,
                            Game game, ClusterSettings cluster, CellAssignment assignment, HandoverSettings handover,
                            BooleanSupplier crossNodeEnabled, int mailboxCapacity) {
        this(nodeId, host, port, advertisedHost, world, game, cluster, assignment, handover, crossNodeEnabled,
                mailboxCapacity, false);
    }

    public NodeServerConfig withTls(TlsFiles t) {
        return new NodeServerConfig(nodeId, host, port, advertisedHost, world, game, cluster, assignment, handover,
                crossNodeEnabled, mailboxCapacity, benchHooks, durability, advertisedPort, t);
    }
}
