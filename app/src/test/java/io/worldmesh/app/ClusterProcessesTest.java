package io.worldmesh.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cluster} as an operator runs it: a child JVM that starts redis-server, three node JVMs and a gateway JVM,
 * and bots that cross node borders, checked from its {@code --json} summary and the nodes' {@code /audit}.
 * Snapshot gaps are the one protocol check allowed to fire: they measure how busy this machine is (the figure
 * belongs to {@code bench cross-node}); every rule about players and inputs must hold exactly.
 */
class ClusterProcessesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NODE_URL = Pattern.compile("(n\\d+) (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void aHundredBotsCrossNodeBordersForAMinuteWhileTheFlagIsTurnedOffAndOn(@TempDir Path dir) throws Exception {
        Path flags = dir.resolve("flags.json");
        writeFlag(flags, true);
        try (ClusterRun run = ClusterRun.start(dir, "--bots", "100", "--duration", "60s", "--flags",
                flags.toString())) {
            Map<String, String> nodes = run.awaitNodes();
            Thread.sleep(20_000); // bots cross borders with the flag on

            writeFlag(flags, false);
            Thread.sleep(4_000); // the provider reads the file every second; handovers in flight finish
            long arrivalsWhenOff = quietArrivals(nodes);
            assertThat(arrivalsWhenOff).as("cross-node arrivals with the flag on\n%s", run.tail()).isPositive();
            Thread.sleep(10_000);
            long arrivalsLater = quietArrivals(nodes);
            assertThat(arrivalsLater).as("cross-node arrivals while the flag was off").isEqualTo(arrivalsWhenOff);

            writeFlag(flags, true);
            JsonNode summary = run.awaitSummary();
            assertPlayersAndInputsHeld(summary, 100, run);
            assertThat(summary.get("server_cross_node_handovers").asLong())
                    .as("cross-node handovers once the flag was back on").isGreaterThan(arrivalsLater);
            assertThat(summary.get("orbs_total_start").asLong()).isPositive();
            assertThat(summary.get("orbs_total_end").asLong()).isEqualTo(summary.get("orbs_total_start").asLong());
        }
    }

    @Test
    void tagKeepsAtMostOneItAcrossNodeProcesses(@TempDir Path dir) throws Exception {
        try (ClusterRun run = ClusterRun.start(dir, "--game", "tag", "--bots", "40", "--duration", "25s")) {
            JsonNode summary = run.awaitSummary();
            assertPlayersAndInputsHeld(summary, 40, run);
            assertThat(summary.at("/invariants/exactly_one_it/checks").asLong()).isPositive();
        }
    }

    private static void assertPlayersAndInputsHeld(JsonNode s, int bots, ClusterRun run) {
        String log = run.tail();
        assertThat(s.get("connected").asInt()).as(log).isEqualTo(bots);
        assertThat(s.get("cross_node_handovers").asLong()).as(log).isPositive();
        assertThat(s.get("lost_players").asLong()).as(log).isZero();
        assertThat(s.get("duplicate_owners").asLong()).as(log).isZero();
        assertThat(s.get("inputs_lost").asLong()).as(log).isZero();
        assertThat(s.get("inputs_duplicated").asLong()).as(log).isZero();
        assertThat(s.get("errors").asLong()).as(log).isZero();
        s.get("violations_by_kind").fields().forEachRemaining(kind -> {
            if (!kind.getKey().equals("snapshot_gap")) {
                assertThat(kind.getValue().asLong()).as(kind.getKey() + "\n" + log).isZero();
            }
        });
        s.get("invariants").fields().forEachRemaining(inv -> {
            assertThat(inv.getValue().get("checks").asLong()).as(inv.getKey()).isPositive();
            assertThat(inv.getValue().get("violations").asLong()).as(inv.getKey() + "\n" + log).isZero();
        });
    }

    /** The nodes' cross-node arrivals summed at a moment when no handover is in flight on any of them. */
    private static long quietArrivals(Map<String, String> nodes) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 50; attempt++) {
            long arrivals = 0;
            long inFlight = 0;
            for (String url : nodes.values()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/audit"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode audit = JSON.readTree(r.body());
                arrivals += audit.get("cross_node_arrivals").asLong();
                inFlight += audit.get("in_flight").asLong();
            }
            if (inFlight == 0) {
                return arrivals;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("a handover was in flight at every look for 5 s with the flag off");
    }

    /** Rewrites the flag file in one move, as an operator's editor or a config map does. */
    private static void writeFlag(Path file, boolean on) throws IOException {
        String json = """
                {"flags": {"cross-node-handover": {"state": "ENABLED",
                  "variants": {"on": true, "off": false}, "defaultVariant": "%s"}}}
                """.formatted(on ? "on" : "off");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One {@code worldmesh cluster --json} child process, its output in a file. */
    private static final class ClusterRun implements AutoCloseable {

        private final ChildProcess process;
        private final Path log;

        private ClusterRun(ChildProcess process, Path log) {
            this.process = process;
            this.log = log;
        }

        static ClusterRun start(Path dir, String... args) throws IOException {
            Path log = dir.resolve("cluster.log");
            List<String> command = new ArrayList<>(List.of("cluster", "--nodes", "3", "--json", "--port",
                    String.valueOf(LocalCluster.freePort())));
            command.addAll(List.of(args));
            PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
            List<String> self = ChildProcess.self(List.of(), command.toArray(String[]::new));
            return new ClusterRun(ChildProcess.start("cluster", self, Map.of(), out, line -> false), log);
        }

        /** Waits for the line that names the nodes' URLs. */
        Map<String, String> awaitNodes() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                for (String line : Files.readAllLines(log)) {
                    if (line.contains("cluster: gateway at")) {
                        Map<String, String> nodes = new java.util.TreeMap<>();
                        Matcher m = NODE_URL.matcher(line);
                        while (m.find()) {
                            nodes.put(m.group(1), m.group(2));
                        }
                        assertThat(nodes).hasSize(3);
                        return nodes;
                    }
                }
                assertThat(process.alive()).as("cluster exited before it was up:\n%s", tail()).isTrue();
                Thread.sleep(200);
            }
            throw new AssertionError("cluster was not up within 120 s:\n" + tail());
        }

        /** Waits for the cluster to exit and returns its last line, the --json summary. */
        JsonNode awaitSummary() throws Exception {
            assertThat(process.awaitExit(240)).as("cluster still running after 240 s:\n%s", tail()).isTrue();
            List<String> lines = Files.readAllLines(log);
            String last = lines.isEmpty() ? "" : lines.getLast();
            String json = last.startsWith("[cluster] ") ? last.substring("[cluster] ".length()) : last;
            assertThat(json).as("the last line is the JSON summary:\n%s", tail()).startsWith("{");
            return JSON.readTree(json);
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
