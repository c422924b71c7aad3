package io.worldmesh.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldmesh.bench.CrossNodeBench;
import io.worldmesh.bench.CrossNodeResult;
import io.worldmesh.bench.Dist;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.engine.GameCatalog;
import io.worldmesh.protocol.auth.ClusterKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench cross-node}: a real cluster here (redis-server, node processes with the benchmark hook, a gateway
 * process), real clients through the gateway, and handovers started through the hook; see {@link CrossNodeBench}.
 * Prints the figures against the targets; exits 1 when a check fails, 2 when redis-server is missing.
 */
@Command(name = "cross-node", mixinStandardHelpOptions = true,
        description = {"Cross-node handovers between node processes on loopback: one at a time, then many in flight;"
                + " the gateway hop; the snapshot gap clients see; nobody lost or duplicated.",
                "Needs redis-server on PATH (Debian: apt-get install redis-server). The grid is one column of "
                        + "cells per node, so that every player is next to another node's cells."})
final class CrossNodeBenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--nodes", defaultValue = "3", description = "Node processes, 2 or 3 (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--players", defaultValue = "200", description = "Clients; more than --in-flight, so that a "
            + "player handed over has had a snapshot from its new node before it is needed again "
            + "(default: ${DEFAULT-VALUE}).")
    int players;

    @Option(names = "--cells-z", defaultValue = "32", description = "Cells in each node's column; many, so that "
            + "a client's area of interest holds a few of the players, not all (default: ${DEFAULT-VALUE}).")
    int cellsZ;

    @Option(names = "--in-flight", defaultValue = "100",
            description = "Handovers kept in flight in the concurrent phase (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--sequential", defaultValue = "1000",
            description = "Handovers one at a time (default: ${DEFAULT-VALUE}).")
    int sequential;

    @Option(names = "--warmup", defaultValue = "20s", description = "Warm-up with --in-flight handovers in flight, "
            + "not measured: the JITs of the gateway and of this process are still compiling after 10 s, and cost "
            + "the phase after it a tenth of the machine (default: 20s).")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "10s",
            description = "How long the concurrent phase keeps them in flight (default: 10s).")
    Duration duration;

    @Option(names = "--echoes", defaultValue = "5000",
            description = "Pairs of echoes, through the gateway and straight on a node link (default: ${DEFAULT-VALUE}).")
    int echoes;

    @Option(names = "--redis-fsync", defaultValue = "always",
            description = "redis-server's --appendfsync: always (as cluster runs it: the commit is on disk), "
                    + "everysec or no (default: ${DEFAULT-VALUE}).")
    String redisFsync;

    @Option(names = "--samples", description = "Write every measured handover to this CSV file (phases in ns).")
    Path samples;

    @Option(names = "--log", description = "Where the nodes', the gateway's and redis-server's output goes "
            + "(default: a new file in the temporary directory, named at the start). Not the terminal: re-printing "
            + "a log line per handover and span would cost the cluster it measures CPU.")
    Path log;

    @Option(names = "--json", description = "End with one line of JSON holding the figures.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || nodes > 3 || players < 1 || inFlight < 1 || inFlight > players || sequential < 0
                || !List.of("always", "everysec", "no").contains(redisFsync)) {
            System.err.println("worldmesh bench cross-node: --nodes must be 2 or 3, --in-flight between 1 and "
                    + "--players, --redis-fsync always, everysec or no");
            return 2;
        }
        String redis = LocalCluster.findRedis();
        if (redis == null) {
            System.err.println("worldmesh bench cross-node: redis-server is not on PATH; install it (Debian: "
                    + "apt-get install " + LocalCluster.REDIS_PACKAGE + ")");
            return 2;
        }
        WorldOptions world = new WorldOptions(); // not parsed by picocli: the game's default is set here
        world.game = GameCatalog.DEFAULT;
        world.cellsX = nodes;
        world.cellsZ = cellsZ;
        CrossNodeResult r;
        Path logFile = log != null ? log : Files.createTempFile("worldmesh-bench-cross-node-", ".log");
        System.err.println("bench cross-node: the cluster's output goes to " + logFile
                + (log != null ? "" : " (deleted after a clean run: a line per span makes ~100 MB)"));
        boolean clean = false;
        try (PrintStream childLog = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
             LocalCluster cluster = LocalCluster.start("bench", redis, nodes, LocalCluster.freePort(), world, null,
                List.of("--bench-hooks"), redisFsync, childLog)) {
            Map<String, URI> urls = new LinkedHashMap<>();
            for (NodeEndpoint e : cluster.endpoints().values().stream()
                    .sorted((a, b) -> a.nodeId().compareTo(b.nodeId())).toList()) {
                urls.put(e.nodeId(), URI.create(e.baseUrl()));
            }
            ClusterSettings agreed = ClusterJoin.join(cluster.directory().clusterSettings()).orElseThrow();
            r = new CrossNodeBench(new CrossNodeBench.Config(players, inFlight, sequential, warmup, duration, echoes,
                    samples), URI.create("ws://127.0.0.1:" + cluster.gatewayPort() + "/ws"), urls,
                    ClusterKeys.of(agreed.secret(), agreed.clusterId()), System.err).run();
            if (!cluster.exited().isEmpty()) {
                System.err.println("worldmesh bench cross-node: exited during the run: " + cluster.exited());
            }
            clean = r.clean() && cluster.exited().isEmpty();
        } finally {
            if (log == null && clean) {
                Files.deleteIfExists(logFile);
            } else if (log == null) {
                System.err.println("bench cross-node: the cluster's output is kept in " + logFile);
            }
        }
        print(System.out, r);
        if (json) {
            System.out.println(json(r));
        }
        return r.clean() ? 0 : 1;
    }

    private void print(PrintStream out, CrossNodeResult r) {
        CrossNodeResult.Phase s = r.sequential();
        CrossNodeResult.Phase c = r.concurrent();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"nodes / clients", r.nodes() + " / " + r.connected() + " of " + r.players(),
                "redis --appendfsync " + redisFsync});
        rows.add(new String[] {"one at a time", s.count() + " handovers", fmt(s.handoversPerS()) + "/s"});
        phaseRows(rows, "  ", s);
        rows.add(new String[] {r.concInFlight() + " in flight", c.count() + " handovers in " + fmt(r.concSeconds())
                + " s", "mean in flight " + fmt(r.concInFlightMean())});
        phaseRows(rows, "  ", c);
        rows.add(new String[] {"gateway hop", r.tunnelAddedUs().count() + " echo pairs", "p50 / p99 (us)"});
        rows.add(new String[] {"  through the gateway", us(r.gatewayEchoUs())});
        rows.add(new String[] {"  straight on a node link", us(r.linkEchoUs())});
        rows.add(new String[] {"  added by the gateway", us(r.tunnelAddedUs())});
        rows.add(new String[] {"snapshot gap, both phases", dist(r.gap()) + " ms",
                r.gap().count() + " handovers" + (r.gapsUnmeasured() > 0 ? ", " + r.gapsUnmeasured()
                        + " unmeasured" : "")});
        rows.add(new String[] {"errors", String.valueOf(r.errors()), "handovers " + r.handoverErrors() + " (warm-up included), clients "
                + r.clientErrors() + ", echoes lost " + r.echoesLost()});
        rows.add(new String[] {"lost / duplicated players", r.lost() + " / " + r.duplicated(),
                r.settled() ? "audited quiet" : "cluster never went quiet"});
        out.println();
        Table.print(out, "Worldmesh cross-node handover benchmark (p50 / p90 / p99 / max)", rows);
        out.println();
        Table.print(out, "Against the targets", targets(r).stream()
                .map(t -> new String[] {t.name, t.measured, t.verdict()}).toList());
        r.problems().forEach(p -> out.println("  problem: " + p));
    }

    private static void phaseRows(List<String[]> rows, String indent, CrossNodeResult.Phase p) {
        rows.add(new String[] {indent + "total (freeze to CLEANUP)", dist(p.total()) + " ms"});
        rows.add(new String[] {indent + "prepare (to RESERVED)", dist(p.prepare()) + " ms"});
        rows.add(new String[] {indent + "commit (directory CAS)", dist(p.commit()) + " ms"});
        rows.add(new String[] {indent + "route (COMMIT to CLEANUP)", dist(p.route()) + " ms"});
        rows.add(new String[] {indent + "hook round trip", dist(p.hookRoundTrip()) + " ms"});
        rows.add(new String[] {indent + "client's snapshot gap", dist(p.gap()) + " ms"});
    }

    /** One target of the issue, and whether the run met it. */
    private record Target(String name, String measured, double value, double bound, boolean atMost, String unit) {
        String verdict() {
            boolean met = atMost ? value <= bound : value >= bound;
            return met ? "met" : "missed by " + fmt(Math.abs(value - bound)) + " " + unit;
        }

        boolean met() {
            return atMost ? value <= bound : value >= bound;
        }
    }

    private static List<Target> targets(CrossNodeResult r) {
        return List.of(
                new Target("one at a time p50 <= 2 ms", fmt(r.sequential().total().p50()) + " ms",
                        r.sequential().total().p50(), 2, true, "ms"),
                new Target("one at a time p99 <= 20 ms", fmt(r.sequential().total().p99()) + " ms",
                        r.sequential().total().p99(), 20, true, "ms"),
                new Target(r.concInFlight() + " in flight >= 1500 handovers/s",
                        fmt(r.concHandoversPerS()) + " /s", r.concHandoversPerS(), 1500, false, "/s"),
                new Target(r.concInFlight() + " in flight p99 <= 150 ms", fmt(r.concurrent().total().p99()) + " ms",
                        r.concurrent().total().p99(), 150, true, "ms"),
                new Target("gateway hop p50 <= 100 us", fmt(r.tunnelAddedUs().p50()) + " us",
                        r.tunnelAddedUs().p50(), 100, true, "us"),
                new Target("gateway hop p99 <= 1 ms", fmt(r.tunnelAddedUs().p99()) + " us",
                        r.tunnelAddedUs().p99(), 1000, true, "us"),
                new Target("snapshot gap p99 <= 100 ms", fmt(r.gap().p99()) + " ms", r.gap().p99(), 100, true, "ms"));
    }

    private ObjectNode json(CrossNodeResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("nodes", r.nodes());
        o.put("players", r.players());
        o.put("connected", r.connected());
        o.put("redis_appendfsync", redisFsync);
        phase(o, "seq", r.sequential());
        o.put("conc_in_flight", r.concInFlight());
        o.put("conc_in_flight_mean", round(r.concInFlightMean()));
        o.put("conc_seconds", round(r.concSeconds()));
        phase(o, "conc", r.concurrent());
        o.put("conc_handovers_per_s", round(r.concHandoversPerS()));
        o.put("tunnel_samples", r.tunnelAddedUs().count());
        put(o, "tunnel_gateway", r.gatewayEchoUs(), "us");
        put(o, "tunnel_link", r.linkEchoUs(), "us");
        put(o, "tunnel_added", r.tunnelAddedUs(), "us");
        o.put("gap_handovers", r.gap().count());
        o.put("gaps_unmeasured", r.gapsUnmeasured());
        put(o, "gap", r.gap(), "ms");
        o.put("errors", r.errors());
        o.put("handover_errors", r.handoverErrors());
        o.put("client_errors", r.clientErrors());
        o.put("echoes_lost", r.echoesLost());
        o.put("lost", r.lost());
        o.put("duplicated", r.duplicated());
        o.put("settled", r.settled());
        ObjectNode met = o.putObject("targets_met");
        String[] keys = {"seq_p50", "seq_p99", "conc_handovers_per_s", "conc_p99", "tunnel_added_p50",
                "tunnel_added_p99", "gap_p99"};
        List<Target> targets = targets(r);
        for (int i = 0; i < keys.length; i++) {
            met.put(keys[i], targets.get(i).met());
        }
        return o;
    }

    private static void phase(ObjectNode o, String prefix, CrossNodeResult.Phase p) {
        o.put(prefix + "_handovers", p.count());
        put(o, prefix, p.total(), "ms");
        put(o, prefix + "_prepare", p.prepare(), "ms");
        put(o, prefix + "_commit", p.commit(), "ms");
        put(o, prefix + "_route", p.route(), "ms");
        put(o, prefix + "_hook", p.hookRoundTrip(), "ms");
        put(o, prefix + "_gap", p.gap(), "ms");
    }

    private static void put(ObjectNode o, String prefix, Dist d, String unit) {
        o.put(prefix + "_p50_" + unit, round(d.p50()));
        o.put(prefix + "_p90_" + unit, round(d.p90()));
        o.put(prefix + "_p99_" + unit, round(d.p99()));
        o.put(prefix + "_max_" + unit, round(d.max()));
    }

    private static String dist(Dist d) {
        return fmt(d.p50()) + " / " + fmt(d.p90()) + " / " + fmt(d.p99()) + " / " + fmt(d.max());
    }

    private static String us(Dist d) {
        return fmt(d.p50()) + " / " + fmt(d.p99());
    }

    private static String fmt(double v) {
        return BenchCommand.fmt(v);
    }

    private static double round(double v) {
        return BenchCommand.round(v);
    }
}
