package io.worldmesh.embedded;

import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.engine.EngineStats;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.WorldSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many real WebSocket clients walking across cell borders of a world on an ephemeral port: every input applied
 * exactly once, every cell change seen, nobody lost or held twice, no orb created or destroyed.
 */
class WorldIntegrationTest {

    // Small cells so that the bots cross many borders in a few seconds.
    private static final WorldSettings SMALL_CELLS = new WorldSettings(6, 6, 16.0, 20, 8.0, 1.0, 4, 6.0, 600, 3);

    @Test
    void botsCrossingBordersKeepEveryInvariant() throws Exception {
        EmbeddedWorld.Config config = EmbeddedWorld.Config.forTests().withWorld(SMALL_CELLS);
        Vertx clients = Vertx.vertx();
        try (EmbeddedWorld world = EmbeddedWorld.start(config)) {
            long orbsStart = world.node().inspect(WorldAudit::orbsTotal).join();
            SwarmOptions options = SwarmOptions.of(world.wsUri(), 60, Duration.ofSeconds(8))
                    .withMaxGap(Duration.ofSeconds(3));
            SwarmReport report = new BotSwarm(clients, options).run();

            WorldAudit audit = world.node().inspect(w -> WorldAudit.of(w, report.playerIds())).join();
            EngineStats stats = world.node().inspect(w -> w.stats()).join();
            Map<String, InvariantMonitor.Tally> invariants =
                    world.node().inspect(w -> world.invariants().tallies()).join();

            assertThat(report.connected()).isEqualTo(60);
            assertThat(report.errors()).as("errors: %s", report.sampleViolations()).isZero();
            assertThat(report.violations()).as("violations: %s", report.sampleViolations()).isZero();
            assertThat(report.inputsSent()).isPositive();
            assertThat(report.inputsApplied()).isEqualTo(report.inputsSent());
            assertThat(report.inputsLost()).isZero();
            assertThat(report.inputsDuplicated()).isZero();
            // The server's own count agrees with what the clients saw acknowledged.
            assertThat(stats.appliedInputs()).isEqualTo(report.inputsSent());
            // Every local handover reached its player as a cell_change event: each bot's checker holds its cell
            // continuous from event to event and to every snapshot (a missed event is a violation, asserted above).
            // The server may count a few more: a player standing past a border changes cell once its dwell is up,
            // which can be after its client has closed.
            assertThat(report.localHandovers()).isGreaterThan(30).isLessThanOrEqualTo(stats.localHandovers());
            assertThat(report.crossNodeHandovers()).isZero();
            assertThat(report.snapshots()).isGreaterThan(60L * 8 * 10); // at least half the tick rate, per bot
            assertThat(audit.lostPlayers()).isZero();
            assertThat(audit.duplicateOwners()).isZero();
            assertThat(audit.players()).isEqualTo(60);
            assertThat(audit.orbsTotal()).isEqualTo(orbsStart);
            assertThat(invariants.get("orbs_conserved").checks()).isPositive();
            assertThat(invariants.get("orbs_conserved").violations()).isZero();
        } finally {
            clients.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void servesThePageHealthAndMetrics() throws Exception {
        try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + world.port();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(page.body()).contains("<canvas");

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"status\":\"up\"");

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("worldmesh_tick_duration_seconds_bucket", "worldmesh_players",
                    "worldmesh_gateway_connections", "worldmesh_handovers_local_total",
                    "worldmesh_inputs_rejected_total");

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "/../etc/passwd")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
        }
    }
}
