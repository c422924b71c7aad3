package io.worldmesh.app;

import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.directory.OwnerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway processes killed with SIGKILL under bots, over real processes and Redis: two gateways, two nodes. When g1
 * dies, its bots reconnect by themselves (backoff with jitter) to g2 and resume their players with their tokens,
 * which g1 signed; g1 is started again; then g2 dies and its bots come back through the restarted g1. No player is
 * lost or owned twice, no input is applied twice or lost (the inputs in flight are sent again), and the resumes are
 * quick.
 */
class GatewayCrashTest {

    private static final int BOTS = 12;

    @Test
    void botsOfAKilledGatewayResumeTheirPlayersOnAnotherAndOnTheRestartedOne(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("cluster.log");
        Vertx vertx = Vertx.vertx();
        try (PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
             LocalCluster cluster = cluster(out)) {
            SwarmOptions options = SwarmOptions.of(cluster.gatewayUrls(), BOTS, Duration.ofSeconds(24))
                    .withMaxGap(Duration.ofSeconds(5));
            CompletableFuture<SwarmReport> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BotSwarm(vertx, options).run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(6_000); // connected, playing, checkpointed
            cluster.killGateway("g1");
            Thread.sleep(4_000);
            cluster.restartGateway("g1");
            Thread.sleep(3_000);
            cluster.killGateway("g2");

            SwarmReport report = run.get(90, TimeUnit.SECONDS);
            String context = "in\n" + LogTail.of(log);
            SwarmReport.Reconnects r = report.reconnects();
            assertThat(report.connected()).isEqualTo(BOTS);
            assertThat(r.reconnects()).as("every bot lost its gateway once: half to g1's death, half to g2's")
                    .isGreaterThanOrEqualTo(BOTS);
            assertThat(r.playersLost()).as("each came back to its own player " + context).isZero();
            assertThat(r.stillDown()).isZero();
            assertThat(r.closedForGood()).isZero();
            assertThat(r.resumeMillis(99)).as("client resume p99").isLessThan(5_000);
            assertThat(report.violations()).as("%s %s", report.sampleViolations(), context).isZero();
            assertThat(report.inputsLost()).isZero();
            assertThat(report.inputsDuplicated()).isZero();
            assertThat(report.inputsApplied()).isPositive();

            for (String player : report.playerIds()) {
                Optional<OwnerRecord> owner = ClusterJoin.join(cluster.directory().owner(player));
                assertThat(owner).as("player %s still owned", player).isPresent();
            }
            Map<String, Double> restarts = counterByNode(cluster, "worldmesh_node_gateway_restarts_total");
            assertThat(restarts).hasSize(2);
            assertThat(restarts.values()).as("every node saw g1's new start and dropped its old connections")
                    .allMatch(n -> n >= 1);
            assertThat(cluster.exited()).containsExactly("g2");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Redis, two node processes with a 2 s lease and two gateways on free ports. */
    private static LocalCluster cluster(PrintStream out) throws Exception {
        String redis = LocalCluster.findRedis();
        assertThat(redis).as("redis-server on PATH (apt-get install redis-server)").isNotNull();
        WorldOptions world = new WorldOptions();
        world.game = "orbs";
        world.cellsX = 4;
        world.cellsZ = 2;
        return LocalCluster.start("gateways", redis, 2, 2, 0, world, null,
                List.of("--lease-ttl", "2s", "--checkpoint-interval", "200ms"), "always", out);
    }

    /** A counter from every node's /metrics (Prometheus text), summed over its tags. */
    private static Map<String, Double> counterByNode(LocalCluster cluster, String name) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Double> byNode = new TreeMap<>();
        for (NodeEndpoint e : cluster.endpoints().values()) {
            String body = http.send(HttpRequest.newBuilder(URI.create(e.baseUrl() + "/metrics"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            byNode.put(e.nodeId(), body.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
        }
        return byNode;
    }
}
