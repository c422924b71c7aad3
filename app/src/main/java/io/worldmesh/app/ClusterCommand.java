package io.worldmesh.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.worldmesh.api.Game;
import io.worldmesh.bench.NodeAudits;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.protocol.tls.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real cluster on this machine: redis-server on a free port, one child JVM per node and one for the gateway,
 * optionally bots; logs forwarded with a prefix; every child stopped on Ctrl-C, at the end of --duration, and when
 * this process dies. With --duration it audits the cluster and ends with the demo's summary.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Starts redis-server, N node processes and one or more gateway processes here, and optionally bots.",
                "Needs redis-server on PATH (Debian: apt-get install redis-server)."})
final class ClusterCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--nodes", defaultValue = "3", description = "Node processes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway port (default: ${DEFAULT-VALUE}); "
            + "with several gateways, the first one's, the others on the ports after it.")
    int port;

    @Option(names = "--gateways", defaultValue = "1", description = "Gateway processes g1..gN, each serving the page "
            + "and /ws; the bots join them in turn and reconnect to the next one when theirs drops (default: "
            + "${DEFAULT-VALUE}).")
    int gateways;

    @Mixin
    ActionRateOption actions = new ActionRateOption();

    @Option(names = "--bots", defaultValue = "0", description = "Bots to run against the gateway "
            + "(default: ${DEFAULT-VALUE}).")
    int bots;

    @Option(names = "--duration", description = "Stop after this long (e.g. 60s) and print the summary.")
    Duration duration;

    @Option(names = "--json", description = "End with one line of JSON holding the summary.")
    boolean json;

    @Option(names = "--flags", description = "A flag file (flagd format) every node reads live.")
    Path flags;

    @Option(names = "--tls", description = "Every node and gateway serves TLS only (https nodes, wss gateways), "
            + "with a self-signed certificate for localhost, 127.0.0.1 and ::1 made at start, which they, this "
            + "process and its bots trust; a browser has to be told to.")
    boolean tls;

    @Mixin
    WorldOptions world = new WorldOptions();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        String redis = LocalCluster.findRedis();
        if (redis == null) {
            System.err.println("worldmesh cluster: redis-server is not on PATH; install it (Debian: "
                    + "apt-get install " + LocalCluster.REDIS_PACKAGE + ")");
            return 2;
        }
        if (gateways < 1 || gateways > 16) {
            System.err.println("worldmesh cluster: --gateways must be 1..16, was " + gateways);
            return 2;
        }
        TlsFiles tlsFiles = tls ? ThrowawayTls.create() : TlsFiles.NONE;
        LocalCluster cluster = LocalCluster.start("cluster", redis, nodes, gateways, port, world, flags, List.of(),
                "always", false, tlsFiles, out);
        Map<String, NodeEndpoint> endpoints = cluster.endpoints();
        List<URI> gatewayUrls = cluster.gatewayUrls();
        out.println("cluster: " + (gateways == 1 ? "gateway at " : "gateways at ") + String.join(", ",
                gatewayUrls.stream().map(u -> tlsFiles.httpScheme() + "://localhost:" + u.getPort() + "/").toList())
                + " ; nodes " + endpoints.values().stream().map(e -> e.nodeId() + " " + e.baseUrl()).toList()
                + (tls ? " ; self-signed certificate " + tlsFiles.certificate() : "")
                + (duration == null ? " (Ctrl-C to stop)" : ""));
        out.flush();
        Game probe = world.games().create(world.game);
        InvariantMonitor monitor = new InvariantMonitor(probe.invariants());
        HttpClient.Builder httpBuilder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls) {
            httpBuilder.sslContext(tlsFiles.sslContext()); // the nodes' /audit is https
        }
        HttpClient http = httpBuilder.build();
        List<URI> nodeUrls = endpoints.values().stream().map(e -> URI.create(e.baseUrl())).toList();
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor();
        checker.scheduleWithFixedDelay(() -> checkQuietly(http, nodeUrls, monitor), 500, 500, TimeUnit.MILLISECONDS);
        long orbsStart = orbs(NodeAudits.read(http, nodeUrls));
        SwarmReport report = null;
        Duration run = duration == null ? Duration.ofDays(3650) : duration;
        if (bots > 0) {
            Vertx botVertx = Vertx.vertx();
            try {
                report = new BotSwarm(botVertx, SwarmOptions.of(gatewayUrls, bots, run).withProgress(System.err)
                        .withActionRate(actions.perSecond)
                        .withTls(TlsFiles.trusting(tlsFiles.trust()))).run();
            } finally {
                botVertx.close().toCompletionStage().toCompletableFuture().join();
            }
        } else {
            Thread.sleep(run.toMillis());
        }
        checker.shutdown();
        checker.awaitTermination(5, TimeUnit.SECONDS);
        List<JsonNode> finalAudit = NodeAudits.settle(http, nodeUrls).audits();
        cluster.close(); // first, so that the summary (and --json's line) comes after the children's last words
        return summary(out, report, finalAudit, orbsStart, monitor);
    }

    private int summary(PrintStream out, SwarmReport r, List<JsonNode> audit, long orbsStart, InvariantMonitor m) {
        Map<String, Integer> holders = new HashMap<>();
        long applied = 0;
        long actionsApplied = 0;
        long local = 0;
        long arrivals = 0;
        Map<String, Long> gameStats = new java.util.TreeMap<>();
        for (JsonNode n : audit) {
            n.get("players").forEach(p -> holders.merge(p.asText(), 1, Integer::sum));
            n.path("game_stats").properties().forEach(f -> gameStats.merge(f.getKey(), f.getValue().asLong(),
                    Long::sum));
            applied += n.get("inputs_applied").asLong();
            actionsApplied += n.path("actions_applied").asLong();
            local += n.get("local_handovers").asLong();
            arrivals += n.get("cross_node_arrivals").asLong();
        }
        List<String> ids = r == null ? List.of() : r.playerIds();
        int lost = (int) ids.stream().filter(id -> !holders.containsKey(id)).count();
        int duplicates = (int) holders.values().stream().filter(c -> c > 1).count();
        long orbsEnd = orbs(audit);
        Map<String, InvariantMonitor.Tally> tallies;
        synchronized (m) {
            tallies = m.tallies();
        }
        ObjectNode o = r == null ? JSON.createObjectNode() : SwarmJson.of(r);
        o.put("lost_players", lost);
        o.put("duplicate_owners", duplicates);
        o.put("orbs_total_start", orbsStart);
        o.put("orbs_total_end", orbsEnd);
        o.put("server_inputs_applied", applied);
        o.put("server_actions_applied", actionsApplied);
        o.put("server_local_handovers", local);
        o.put("server_cross_node_handovers", arrivals);
        o.put("nodes", nodes);
        ObjectNode inv = o.putObject("invariants");
        tallies.forEach((name, t) -> inv.putObject(name).put("checks", t.checks()).put("violations", t.violations()));
        ObjectNode game = o.putObject("game");
        gameStats.forEach(game::put);
        List<String[]> rows = new ArrayList<>(r == null ? List.of() : r.rows());
        rows.add(new String[] {"nodes", String.valueOf(nodes)});
        rows.add(new String[] {"lost players", String.valueOf(lost)});
        rows.add(new String[] {"duplicate owners", String.valueOf(duplicates)});
        rows.add(new String[] {"orbs at start / end", orbsStart + " / " + orbsEnd});
        rows.add(new String[] {"server: cross-node handovers", String.valueOf(arrivals)});
        rows.add(new String[] {"server: game actions applied", String.valueOf(actionsApplied)});
        gameStats.forEach((name, v) -> rows.add(new String[] {"game: " + name, String.valueOf(v)}));
        tallies.forEach((name, t) -> rows.add(new String[] {"invariant " + name,
                t.checks() + " checks, " + t.violations() + " violations"}));
        out.println();
        Table.print(out, "Worldmesh cluster summary", rows);
        if (r != null) {
            r.sampleViolations().forEach(v -> out.println("  violation: " + v));
        }
        synchronized (m) {
            m.messages().forEach(msg -> out.println("  invariant: " + msg));
        }
        if (json) {
            out.println(o);
        }
        boolean clean = lost == 0 && duplicates == 0 && orbsStart == orbsEnd
                && tallies.values().stream().allMatch(t -> t.violations() == 0)
                && (r == null || (r.errors() == 0 && r.violations() == 0 && r.inputsLost() == 0
                && r.inputsDuplicated() == 0 && r.reconnects().clean()));
        return clean ? 0 : 1;
    }

    /** Orbs in every node's world and inventories, from the orb invariant's measures; -1 for other games. */
    static long orbs(List<JsonNode> audit) {
        long sum = 0;
        for (JsonNode n : audit) {
            JsonNode m = n.path("measures").path("orbs_conserved");
            if (m.isMissingNode()) {
                return -1;
            }
            sum += m.path("in_world").asLong() + m.path("held").asLong();
        }
        return sum;
    }

    private void checkQuietly(HttpClient http, List<URI> nodes, InvariantMonitor monitor) {
        try {
            List<JsonNode> first = NodeAudits.read(http, nodes);
            List<JsonNode> second = NodeAudits.read(http, nodes);
            if (!NodeAudits.quiet(first, second)) {
                return;
            }
            List<Map<String, Map<String, Long>>> perNode = new ArrayList<>();
            long tick = 0;
            long joined = 0;
            long left = 0;
            for (JsonNode n : first) {
                tick = Math.max(tick, n.get("tick").asLong());
                joined += n.path("joined").asLong();
                left += n.path("left").asLong();
                Map<String, Map<String, Long>> measures = new HashMap<>();
                n.get("measures").fields().forEachRemaining(inv -> {
                    Map<String, Long> m = new HashMap<>();
                    inv.getValue().fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asLong()));
                    measures.put(inv.getKey(), m);
                });
                perNode.add(measures);
            }
            synchronized (monitor) {
                monitor.checkCluster(tick, perNode, joined, left);
            }
        } catch (Exception e) {
            // a node is busy or restarting: the next round checks
        }
    }
}
