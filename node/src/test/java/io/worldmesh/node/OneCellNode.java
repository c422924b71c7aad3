package io.worldmesh.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.Directory;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.protocol.tls.TlsFiles;

import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** A real node {@code n1} that owns the one cell of a 1 x 1 orbs world, for tests of one node's HTTP side. */
public final class OneCellNode {

    private OneCellNode() {
    }

    public static NodeServer start(Vertx vertx, Directory directory, NodeDurability durability) {
        return start(vertx, directory, durability, TlsFiles.NONE);
    }

    /** As above, its HTTP server set up from {@code tls} (TLS only with a certificate). */
    public static NodeServer start(Vertx vertx, Directory directory, NodeDurability durability, TlsFiles tls) {
        ClusterSettings cluster = new ClusterSettings(UUID.randomUUID().toString(), "orbs", 1, 1, 64, 20,
                System.currentTimeMillis(), 0L, Base64.getEncoder().encodeToString(new byte[32]));
        ClusterSettings agreed = directory.registerSettings(cluster, true).toCompletableFuture().join().cluster();
        CellAssignment assignment = directory.proposeAssignment(CellAssignment.stripes(1, 1, List.of("n1")))
                .toCompletableFuture().join();
        return NodeServer.start(vertx, directory, new NodeServerConfig("n1", "127.0.0.1", 0, "127.0.0.1",
                WorldSettings.DEFAULTS.withGrid(1, 1), new OrbGame(), agreed, assignment, HandoverSettings.DEFAULTS,
                () -> true, 1024, false, durability, 0, tls), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
}
