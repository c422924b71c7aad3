package io.worldmesh.app;

import io.vertx.core.Vertx;
import io.worldmesh.client.Clients;
import io.worldmesh.client.GameConnection;
import io.worldmesh.client.ProtocolChecker;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.protocol.client.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node process killed with SIGKILL, over real processes and Redis. Started again (as systemd or Kubernetes would)
 * it takes its player back; not started again, the other node takes its cells and its player. Either way the client
 * stays connected to the gateway, sees a pause and a {@code recovered} event, and goes on playing the same player,
 * restored at epoch + 1 from its last checkpoint; the rest of the client's promises hold.
 */
class NodeCrashTest {

    @Test
    void aKilledNodeStartedAgainTakesItsPlayerBackAndTheClientStaysConnected(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("cluster.log");
        Vertx vertx = Vertx.vertx();
        try (PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
             // One node: with another live one, that one would take the player before the restart is up (the next test).
             LocalCluster cluster = cluster("restart", 1, out)) {
            List<ServerMessage> seen = new CopyOnWriteArrayList<>();
            ProtocolChecker checker = new ProtocolChecker(TimeUnit.SECONDS.toNanos(2));
            GameConnection ana = joined(log, GameConnection.open(vertx, Clients.webSocketClient(vertx),
                    URI.create("ws://127.0.0.1:" + cluster.gatewayPort() + "/ws"), "ana", null, checker, seen::add));
            String player = ana.welcome().playerId();
            for (int i = 0; i < 5; i++) {
                ana.sendInput(0, 0, 0);
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> ana.lastSnapshot() != null
                    && ana.lastSnapshot().lastAppliedSeq() == 5);
            String node = ana.lastSnapshot().node();
            Thread.sleep(600); // a few checkpoints with all five inputs
            long tickBefore = ana.lastSnapshot().tick();

            cluster.killNode(node);
            restart(cluster, node, log);

            ServerMessage.Recovered recovered = recovered(seen);
            assertThat(recovered.node()).isEqualTo(node);
            assertThat(recovered.lastAppliedSeq()).as("the checkpoint had every input").isEqualTo(5);
            assertThat(recovered.fromTick()).isLessThanOrEqualTo(tickBefore);
            assertThat(recovered.ticksLost()).isPositive();
            assertThat(ana.closedFuture()).as("the client's connection was kept").isNotDone();
            assertThat(ClusterJoin.join(cluster.directory().owner(player)))
                    .as("taken back by the failover compare-and-set").contains(new OwnerRecord(node, 2));

            ana.sendInput(0, 0, 0);
            await().atMost(10, TimeUnit.SECONDS).until(() -> ana.lastSnapshot().lastAppliedSeq() == 6
                    && ana.lastSnapshot().tick() > recovered.tick());
            assertThat(ana.lastSnapshot().playerId()).isEqualTo(player);
            assertThat(ana.query(ProtocolChecker::violations).get(5, TimeUnit.SECONDS))
                    .as("in\n%s", LogTail.of(log)).isEmpty();
            assertThat(ana.query(ProtocolChecker::recoveries).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(cluster.exited()).isEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledNodeNotStartedAgainHasItsCellsAndPlayerTakenByTheOther(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("cluster.log");
        Vertx vertx = Vertx.vertx();
        try (PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
             LocalCluster cluster = cluster("failover", 2, out)) {
            URI gateway = URI.create("ws://127.0.0.1:" + cluster.gatewayPort() + "/ws");
            List<ServerMessage> seen = new CopyOnWriteArrayList<>();
            GameConnection ana = joined(log, GameConnection.open(vertx, Clients.webSocketClient(vertx), gateway, "ana",
                    null, new ProtocolChecker(TimeUnit.SECONDS.toNanos(2)), seen::add));
            String player = ana.welcome().playerId();
            ana.sendInput(0, 0, 0);
            await().atMost(10, TimeUnit.SECONDS).until(() -> ana.lastSnapshot() != null
                    && ana.lastSnapshot().lastAppliedSeq() == 1);
            String dead = ana.lastSnapshot().node();
            String taker = dead.equals("n1") ? "n2" : "n1";
            Thread.sleep(3_000); // checkpoints, and the taker has seen the other's lease live

            cluster.killNode(dead);

            ServerMessage.Recovered recovered = recovered(seen);
            assertThat(recovered.node()).isEqualTo(taker);
            assertThat(recovered.lastAppliedSeq()).isEqualTo(1);
            assertThat(ana.closedFuture()).as("the client's connection was kept").isNotDone();
            assertThat(ClusterJoin.join(cluster.directory().owner(player))).contains(new OwnerRecord(taker, 2));
            assertThat(ClusterJoin.join(cluster.directory().assignment()).orElseThrow().cellsOf(dead))
                    .as("the dead node's cells moved").isEmpty();

            ana.sendInput(0, 0, 0);
            await().atMost(10, TimeUnit.SECONDS).until(() -> ana.lastSnapshot().lastAppliedSeq() == 2
                    && taker.equals(ana.lastSnapshot().node()));
            assertThat(ana.query(ProtocolChecker::violations).get(5, TimeUnit.SECONDS))
                    .as("in\n%s", LogTail.of(log)).isEmpty();

            GameConnection bo = joined(log, GameConnection.open(vertx, Clients.webSocketClient(vertx), gateway, "bo",
                    null, new ProtocolChecker(TimeUnit.SECONDS.toNanos(2)), m -> { }));
            await().atMost(10, TimeUnit.SECONDS).until(() -> bo.lastSnapshot() != null);
            assertThat(bo.lastSnapshot().node()).as("a new player joins on the live node").isEqualTo(taker);
            assertThat(cluster.exited()).containsExactly(dead);

            restart(cluster, dead, log); // rejoins with nothing to take back and no cells, and stays up
            Thread.sleep(2_000);
            assertThat(cluster.exited()).isEmpty();
            assertThat(ClusterJoin.join(cluster.directory().owner(player))).contains(new OwnerRecord(taker, 2));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM is not a crash: the node writes a last checkpoint and releases its lease, so the other takes its player
     * at once, with every input it had applied, although its periodic checkpoints are far apart.
     */
    @Test
    void aNodeStoppedWithSigtermHasItsPlayerTakenOverWithNothingRolledBack(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("cluster.log");
        Vertx vertx = Vertx.vertx();
        try (PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
             LocalCluster cluster = cluster("sigterm", 2, "30s", out)) {
            List<ServerMessage> seen = new CopyOnWriteArrayList<>();
            ProtocolChecker checker = new ProtocolChecker(TimeUnit.SECONDS.toNanos(2));
            GameConnection ana = joined(log, GameConnection.open(vertx, Clients.webSocketClient(vertx),
                    URI.create("ws://127.0.0.1:" + cluster.gatewayPort() + "/ws"), "ana", null, checker, seen::add));
            String player = ana.welcome().playerId();
            Thread.sleep(3_000); // the other node has seen this one's lease live
            for (int i = 0; i < 5; i++) {
                ana.sendInput(0, 0, 0);
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> ana.lastSnapshot() != null
                    && ana.lastSnapshot().lastAppliedSeq() == 5);
            String stopped = ana.lastSnapshot().node();
            String taker = stopped.equals("n1") ? "n2" : "n1";

            cluster.terminateNode(stopped);

            ServerMessage.Recovered recovered = recovered(seen);
            assertThat(recovered.node()).isEqualTo(taker);
            assertThat(recovered.lastAppliedSeq()).as("the last checkpoint, written at the stop, had every input "
                    + "(the periodic ones are 30 s apart)").isEqualTo(5);
            assertThat(ana.query(ProtocolChecker::inputsRolledBack).get(5, TimeUnit.SECONDS)).isZero();
            assertThat(ana.closedFuture()).as("the client's connection was kept").isNotDone();
            assertThat(ClusterJoin.join(cluster.directory().owner(player))).contains(new OwnerRecord(taker, 2));

            ana.sendInput(0, 0, 0);
            await().atMost(10, TimeUnit.SECONDS).until(() -> ana.lastSnapshot().lastAppliedSeq() == 6
                    && taker.equals(ana.lastSnapshot().node()));
            assertThat(ana.query(ProtocolChecker::violations).get(5, TimeUnit.SECONDS))
                    .as("in\n%s", LogTail.of(log)).isEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Redis, {@code nodes} node processes with a 2 s lease and checkpoints every 200 ms, and a gateway. */
    private static LocalCluster cluster(String label, int nodes, PrintStream out) throws Exception {
        return cluster(label, nodes, "200ms", out);
    }

    private static LocalCluster cluster(String label, int nodes, String checkpointInterval, PrintStream out)
            throws Exception {
        String redis = LocalCluster.findRedis();
        assertThat(redis).as("redis-server on PATH (apt-get install redis-server)").isNotNull();
        WorldOptions world = new WorldOptions();
        world.game = "orbs";
        world.cellsX = 4;
        world.cellsZ = 2;
        return LocalCluster.start(label, redis, nodes, LocalCluster.freePort(), world, null,
                List.of("--lease-ttl", "2s", "--checkpoint-interval", checkpointInterval), "always", out);
    }

    private static void restart(LocalCluster cluster, String node, Path log) throws Exception {
        try {
            cluster.restartNode(node);
        } catch (Exception e) {
            throw new AssertionError("node " + node + " did not start again: " + e + " in\n"
                    + LogTail.of(log), e);
        }
    }

    private static GameConnection joined(Path log, io.vertx.core.Future<GameConnection> open) throws Exception {
        try {
            return open.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no welcome: " + e + " in\n" + LogTail.of(log), e);
        }
    }

    /** The first {@code recovered} the client got, waited for up to 20 s. */
    private static ServerMessage.Recovered recovered(List<ServerMessage> seen) {
        return await().atMost(20, TimeUnit.SECONDS).until(() -> seen.stream()
                .filter(m -> m instanceof ServerMessage.Recovered).map(m -> (ServerMessage.Recovered) m)
                .findFirst().orElse(null), r -> r != null);
    }
}
