package io.worldmesh.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldmesh.bench.GatewayBench;
import io.worldmesh.bench.LocalHandoverBenchmark;
import io.worldmesh.bench.TickBench;
import io.worldmesh.embedded.EmbeddedWorld;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

/** The project's benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs a benchmark and prints a table of its figures.",
        subcommands = {BenchCommand.Tick.class, BenchCommand.Gateway.class, BenchCommand.Handover.class,
                CrossNodeBenchCommand.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "tick", mixinStandardHelpOptions = true,
            description = "One node simulating moving players with area-of-interest snapshots encoded every tick.")
    static final class Tick implements Callable<Integer> {

        @Mixin
        WorldOptions world = new WorldOptions();

        @Option(names = "--players", description = "Players to simulate (default: ${DEFAULT-VALUE}).")
        int players = 2000;

        @Option(names = "--ticks", description = "Ticks to measure after warm-up (default: ${DEFAULT-VALUE}).")
        int ticks = 600;

        @Option(names = "--warmup", description = "Ticks to run before measuring (default: ${DEFAULT-VALUE}).")
        int warmup = 200;

        @Option(names = "--json", description = "End with one line of JSON holding the figures.")
        boolean json;

        @Override
        public Integer call() {
            TickBench.Result r = new TickBench(world.settings(), world.games().create(world.game), players, warmup,
                    ticks, System.err).run();
            Table.print(System.out, "Worldmesh tick benchmark (" + world.game + ", tick budget "
                    + 1000 / world.tickRate + " ms)", List.of(
                    new String[] {"players", String.valueOf(r.players())},
                    new String[] {"ticks measured", String.valueOf(r.ticks())},
                    new String[] {"tick p50", fmt(r.p50Ms()) + " ms"},
                    new String[] {"tick p99", fmt(r.p99Ms()) + " ms"},
                    new String[] {"tick max", fmt(r.maxMs()) + " ms"},
                    new String[] {"tick mean", fmt(r.meanMs()) + " ms"},
                    new String[] {"snapshot size (mean)", fmt(r.snapshotKib()) + " KiB"},
                    new String[] {"local handovers", String.valueOf(r.localHandovers())}));
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("players", r.players());
                o.put("ticks", r.ticks());
                o.put("p50_ms", round(r.p50Ms()));
                o.put("p99_ms", round(r.p99Ms()));
                o.put("max_ms", round(r.maxMs()));
                o.put("mean_ms", round(r.meanMs()));
                o.put("snapshot_kib", round(r.snapshotKib()));
                o.put("local_handovers", r.localHandovers());
                System.out.println(o);
            }
            return 0;
        }
    }

    @Command(name = "gateway", mixinStandardHelpOptions = true,
            description = "Real WebSocket bots through the gateway on loopback: errors, snapshot rate, latency.")
    static final class Gateway implements Callable<Integer> {

        @Option(names = "--bots", description = "Bots to connect (default: ${DEFAULT-VALUE}).")
        int bots = 500;

        @Option(names = "--duration", description = "How long they play (default: 30s).")
        Duration duration = Duration.ofSeconds(30);

        @Option(names = "--json", description = "End with one line of JSON holding the figures.")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            EmbeddedWorld.Config config = EmbeddedWorld.Config.forTests().withInvariantChecks(false);
            GatewayBench.Result r = new GatewayBench(config, bots, duration, System.err).run();
            Table.print(System.out, "Worldmesh gateway benchmark", List.of(
                    new String[] {"bots", r.bots() + " (" + r.connected() + " connected)"},
                    new String[] {"seconds", fmt(r.seconds())},
                    new String[] {"protocol errors", String.valueOf(r.errors())},
                    new String[] {"checker violations", String.valueOf(r.violations())},
                    new String[] {"snapshots/s per bot", fmt(r.snapshotRate()) + " (tick rate " + r.tickRate() + ")"},
                    new String[] {"input->snapshot p50", fmt(r.latencyP50Ms()) + " ms"},
                    new String[] {"input->snapshot p99", fmt(r.latencyP99Ms()) + " ms"},
                    new String[] {"max snapshot gap", r.maxGapMs() + " ms"},
                    new String[] {"inputs lost / duplicated", r.inputsLost() + " / " + r.inputsDuplicated()}));
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("bots", r.bots());
                o.put("connected", r.connected());
                o.put("seconds", round(r.seconds()));
                o.put("errors", r.errors());
                o.put("violations", r.violations());
                o.put("snapshot_rate", round(r.snapshotRate()));
                o.put("tick_rate", r.tickRate());
                o.put("latency_p50_ms", round(r.latencyP50Ms()));
                o.put("latency_p99_ms", round(r.latencyP99Ms()));
                o.put("max_gap_ms", r.maxGapMs());
                o.put("inputs_lost", r.inputsLost());
                o.put("inputs_duplicated", r.inputsDuplicated());
                System.out.println(o);
            }
            return r.errors() == 0 && r.violations() == 0 ? 0 : 1;
        }
    }

    @Command(name = "handover", mixinStandardHelpOptions = true,
            description = "JMH: one tick with a local handover (cell to cell in one node). Exits 1 when the "
                    + "benchmark's own check fails or JMH reports no figure.")
    static final class Handover implements Callable<Integer> {

        @Override
        public Integer call() {
            Collection<RunResult> results;
            try {
                // Fail on error: otherwise JMH reports a failed check (an exception in the benchmark or its
                // tear-down) and goes on, leaving no result and nothing for the exit code to tell.
                results = new Runner(new OptionsBuilder()
                        .include(LocalHandoverBenchmark.class.getName())
                        .shouldFailOnError(true)
                        .build()).run();
            } catch (RunnerException e) {
                System.err.println("worldmesh: bench handover failed: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
                return 1;
            }
            if (results.isEmpty()) {
                System.err.println("worldmesh: bench handover failed: JMH reported no result");
                return 1;
            }
            for (RunResult rr : results) {
                var stats = rr.getPrimaryResult().getStatistics();
                if (stats.getN() == 0) {
                    System.err.println("worldmesh: bench handover failed: JMH reported no samples");
                    return 1;
                }
                Table.print(System.out, "Worldmesh local handover (JMH sample time)", List.of(
                        new String[] {"samples", String.valueOf(stats.getN())},
                        new String[] {"p50", fmt(stats.getPercentile(50)) + " us"},
                        new String[] {"p99", fmt(stats.getPercentile(99)) + " us"},
                        new String[] {"mean", fmt(stats.getMean()) + " us"}));
            }
            return 0;
        }
    }

    static String fmt(double v) {
        return String.format("%.2f", v);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
