package io.worldmesh.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.engine.WorldSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric the shipped Grafana dashboard queries is one the processes export: a cluster of three nodes plays
 * until it has handed players over, and its scrape must hold each series name the dashboard's queries use.
 */
class DashboardMetricsTest {

    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "worldmesh-handovers.json");
    private static final Pattern METRIC = Pattern.compile("\\bworldmesh_[a-z0-9_]+");

    @Test
    void everyQueriedMetricIsExported() throws Exception {
        Set<String> queried = queriedMetrics();
        assertThat(queried).contains("worldmesh_handovers_total", "worldmesh_handover_phase_seconds_bucket");
        WorldSettings narrow = new WorldSettings(6, 3, 16.0, 20, 8.0, 1.0, 4, 6.0, 600, 5);
        Vertx clients = Vertx.vertx();
        try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withWorld(narrow)
                .withNodes(3))) {
            new BotSwarm(clients, SwarmOptions.of(world.wsUri(), 20, Duration.ofSeconds(6))).run();
            assertThat(world.engineTotals().crossNodeHandovers()).isPositive();
            String scrape = world.registry().scrape();
            Set<String> exported = new TreeSet<>();
            for (String line : scrape.split("\n")) {
                Matcher m = METRIC.matcher(line);
                if (!line.startsWith("#") && m.lookingAt()) {
                    exported.add(m.group());
                }
            }
            assertThat(exported).containsAll(queried);
        } finally {
            clients.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static Set<String> queriedMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }
}
