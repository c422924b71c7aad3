package io.worldmesh.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** A chaos test over real processes; see {@link ChaosRun} for what it does and {@link ChaosReport} for its checks. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Runs redis-server, 3 nodes, 2 gateways and bots here as real processes, and injects one fault",
                "at a time: kill -9 a node, SIGSTOP a node past its lease then SIGCONT, kill -9 a gateway,",
                "restart Redis, break a node's network (delay, drop, half-open, reset) from a fault proxy on",
                "loopback. Checks from the bots' view, the directory and the nodes' audits that no player",
                "is lost or owned twice, no input applied twice and no orb duplicated, and times each recovery.",
                "Exit code 0 only when every check held; 2 without redis-server on PATH."})
final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "10", description = "How long the bots play (default: ${DEFAULT-VALUE}).")
    int minutes;

    @Option(names = "--bots", defaultValue = "200", description = "Bots (default: ${DEFAULT-VALUE}; 2 cores hold "
            + "about 60 beside 6 JVMs without starving the leases).")
    int bots;

    @Option(names = "--every", defaultValue = "30s", converter = DurationConverter.class,
            description = "Time between faults (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Option(names = "--faults", split = ",", defaultValue = "kill_node,stop_node,kill_gateway,restart_redis,redis_down,network",
            description = "Fault kinds, injected in this order, round and round (default: ${DEFAULT-VALUE}).")
    List<String> faults;

    @Option(names = "--lease-ttl", defaultValue = "3s", converter = DurationConverter.class,
            description = "The nodes' lease (default: ${DEFAULT-VALUE}).")
    Duration leaseTtl;

    @Option(names = "--checkpoint-interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "The nodes' checkpoint interval (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--nodes", defaultValue = "3", description = "Node processes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--gateways", defaultValue = "2", description = "Gateway processes (default: ${DEFAULT-VALUE}).")
    int gateways;

    @Option(names = "--game", defaultValue = "orbs", description = "The game (default: ${DEFAULT-VALUE}).")
    String game;

    @Option(names = "--log", description = "Where the processes' own output goes (default: a temporary file, "
            + "deleted after a safe run).")
    Path log;

    @Option(names = "--json", description = "End with one line of JSON holding the summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String redis = LocalCluster.findRedis();
        if (redis == null) {
            System.err.println("worldmesh chaos: redis-server is not on PATH; install it (Debian: apt-get install "
                    + LocalCluster.REDIS_PACKAGE + ")");
            return 2;
        }
        ChaosRun.Settings settings;
        try {
            settings = new ChaosRun.Settings(Duration.ofMinutes(minutes), bots, every,
                    faults.stream().map(Fault::parse).toList(), leaseTtl, checkpointInterval, nodes, gateways, game);
        } catch (IllegalArgumentException e) {
            System.err.println("worldmesh chaos: " + e.getMessage());
            return 2;
        }
        boolean ownLog = log == null;
        Path logFile = ownLog ? Files.createTempFile("worldmesh-chaos", ".log") : log;
        System.err.println("chaos: processes' output in " + logFile + "; faults " + Arrays.toString(
                settings.faults().stream().map(Fault::label).toArray()) + " every " + every.toSeconds() + " s for "
                + minutes + " min with " + bots + " bots");
        ChaosReport report;
        try (OutputStream file = Files.newOutputStream(logFile);
             PrintStream childLog = new PrintStream(file, true, StandardCharsets.UTF_8)) {
            report = new ChaosReport(ChaosRun.run(settings, redis, childLog, System.err));
        }
        Table.print(System.out, "Worldmesh chaos: faults", report.faultRows());
        System.out.println();
        Table.print(System.out, "Worldmesh chaos summary", report.summaryRows());
        report.sampleViolations().forEach(v -> System.out.println("  violation: " + v));
        if (json) {
            System.out.println(report.json());
        }
        if (report.safe() && ownLog) {
            Files.deleteIfExists(logFile);
        } else if (!report.safe()) {
            System.out.println("the processes' output is in " + logFile);
        }
        return report.safe() ? 0 : 1;
    }
}
