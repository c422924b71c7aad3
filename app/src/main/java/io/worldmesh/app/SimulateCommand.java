package io.worldmesh.app;

import io.worldmesh.api.Game;
import io.worldmesh.engine.GameCatalog;
import io.worldmesh.testkit.Faults;
import io.worldmesh.testkit.SeedSweep;
import io.worldmesh.testkit.Simulation;
import io.worldmesh.testkit.SimulationConfig;
import io.worldmesh.testkit.SimulationFailure;
import io.worldmesh.testkit.SimulationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** The deterministic cluster simulator over many seeds, or one seed replayed. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs seeded, deterministic simulations of the cluster and checks the handover rules.",
                "The real node cores, route switch and directory under a simulated network and a virtual clock;",
                "every rule is checked after every step, and a failing seed replays exactly."})
final class SimulateCommand implements Callable<Integer> {


    @Option(names = "--seeds", description = "Run seeds 0 .. N-1 (default: ${DEFAULT-VALUE}).")
    int seeds = 200;

    @Option(names = "--seed", description = "Run this one seed and show its failure in full.")
    Long seed;

    @Option(names = "--game", description = "The game (default: ${DEFAULT-VALUE}; one of ${COMPLETION-CANDIDATES}).",
            completionCandidates = WorldOptions.GameNames.class)
    String game = GameCatalog.DEFAULT;

    private List<Path> gamePath = List.of();

    @Option(names = "--game-path", paramLabel = "JAR_OR_DIR", description = "Where else to find games (repeatable): "
            + "a game's jar, a directory of jars, or a directory of classes with "
            + "META-INF/services/io.worldmesh.api.GameProvider.")
    void gamePath(List<Path> paths) {
        gamePath = List.copyOf(paths);
        WorldOptions.GameNames.gamePath = gamePath;
    }

    @Option(names = "--game-opt", paramLabel = "NAME=VALUE", description = "A setting of the game (repeatable); "
            + "the settings each game takes are listed below.")
    java.util.Map<String, String> gameOpts = new java.util.LinkedHashMap<>();

    @Option(names = "--nodes", description = "Simulation nodes (default: ${DEFAULT-VALUE}).")
    int nodes = SimulationConfig.defaults().nodes();

    @Option(names = "--players", description = "Simulated clients (default: ${DEFAULT-VALUE}).")
    int players = SimulationConfig.defaults().players();

    @Option(names = "--faults", description = "Fault profile: default, crashes (the default's, and nodes, the gateway and"
            + " the directory going down, with failover on), network-only or none (default: ${DEFAULT-VALUE}).")
    String faults = "default";

    @Option(names = "--threads", description = "Seeds run at once (default: the number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--show", description = "Failing seeds listed, each with its replay command (default: "
            + "${DEFAULT-VALUE}).")
    int show = 10;

    @Option(names = "--events", description = "Events before a failure that --seed shows (default: ${DEFAULT-VALUE}).")
    int events = 200;

    @Override
    public Integer call() {
        GameCatalog catalog = GameCatalog.load(gamePath).withOptions(game, gameOpts);
        Supplier<Game> games = () -> catalog.create(game);
        games.get(); // an unknown name fails here, with the known ones
        Faults profile = Faults.profile(faults);
        SimulationConfig config = SimulationConfig.defaults().withNodes(nodes).withPlayers(players)
                .withFaults(profile).withFailover(profile.processesDie());
        return seed != null ? one(config, games) : many(config, games);
    }

    private int one(SimulationConfig config, Supplier<Game> games) {
        long start = System.nanoTime();
        try {
            SimulationResult r = new Simulation(config, games, seed, events).run();
            print(List.of(r), List.of(), System.nanoTime() - start, config);
            return 0;
        } catch (SimulationFailure f) {
            System.out.println(f.getMessage().replace(f.replayCommand(), replay(f)));
            return 1;
        }
    }

    private int many(SimulationConfig config, Supplier<Game> games) {
        PrintStream err = System.err;
        SeedSweep.Report report = SeedSweep.run(config, games, 0, seeds, threads, p -> err.printf(Locale.ROOT,
                "\rsimulate %s: seeds %d/%d, failures %d, handovers %d committed / %d aborted, %s events/s   ",
                game, p.seedsDone(), p.seeds(), p.failures(), p.committed(), p.aborted(),
                human(p.steps() * 1e9 / Math.max(1, p.elapsedNanos()))));
        err.println();
        print(report.held(), report.failures(), report.elapsedNanos(), config);
        return report.failures().isEmpty() ? 0 : 1;
    }

    private void print(List<SimulationResult> held, List<SimulationFailure> failures, long elapsedNanos,
                       SimulationConfig config) {
        ToLongFunction<ToLongFunction<SimulationResult>> sum = f -> held.stream().mapToLong(f).sum();
        long steps = sum.applyAsLong(SimulationResult::steps);
        Table.print(System.out, "Worldmesh simulation (" + game + ", " + config.nodes() + " nodes, "
                + config.players() + " players, faults " + faults + ")", List.of(
                new String[] {"seeds", String.valueOf(held.size() + failures.size())},
                new String[] {"seeds that held every rule", String.valueOf(held.size())},
                new String[] {"seeds that broke a rule", String.valueOf(failures.size())},
                new String[] {"handovers committed", String.valueOf(sum.applyAsLong(SimulationResult::handoversCommitted))},
                new String[] {"handovers aborted", String.valueOf(sum.applyAsLong(SimulationResult::handoversAborted))},
                new String[] {"handovers fenced", String.valueOf(sum.applyAsLong(SimulationResult::handoversFenced))},
                new String[] {"inputs sent", String.valueOf(sum.applyAsLong(SimulationResult::inputsSent))},
                new String[] {"inputs applied", String.valueOf(sum.applyAsLong(SimulationResult::inputsApplied))},
                new String[] {"peer messages dropped", String.valueOf(sum.applyAsLong(SimulationResult::peerMessagesDropped))},
                new String[] {"peer messages duplicated",
                        String.valueOf(sum.applyAsLong(SimulationResult::peerMessagesDuplicated))},
                new String[] {"peer messages straggling", String.valueOf(sum.applyAsLong(SimulationResult::stragglers))},
                new String[] {"directory calls failed", String.valueOf(sum.applyAsLong(SimulationResult::directoryFailures))},
                new String[] {"client disconnects", String.valueOf(sum.applyAsLong(SimulationResult::disconnects))},
                new String[] {"node hangs", String.valueOf(sum.applyAsLong(SimulationResult::nodeHangs))},
                new String[] {"nodes fenced (lease lapsed)", String.valueOf(sum.applyAsLong(SimulationResult::leaseLapses))},
                new String[] {"node crashes (kill -9)", String.valueOf(sum.applyAsLong(SimulationResult::nodeCrashes))},
                new String[] {"nodes ended, taken over", String.valueOf(sum.applyAsLong(SimulationResult::nodeExits))},
                new String[] {"node restarts", String.valueOf(sum.applyAsLong(SimulationResult::nodeRestarts))},
                new String[] {"gateway crashes", String.valueOf(sum.applyAsLong(SimulationResult::gatewayCrashes))},
                new String[] {"directory outages", String.valueOf(sum.applyAsLong(SimulationResult::directoryOutages))},
                new String[] {"nodes taken over", String.valueOf(sum.applyAsLong(SimulationResult::nodesTakenOver))},
                new String[] {"players restored", String.valueOf(sum.applyAsLong(SimulationResult::playersRestored))},
                new String[] {"inputs rolled back", String.valueOf(sum.applyAsLong(SimulationResult::inputsRolledBack))},
                new String[] {"events", String.valueOf(steps)},
                new String[] {"virtual time", String.format(Locale.ROOT, "%.1f s",
                        sum.applyAsLong(SimulationResult::virtualNanos) / 1e9)},
                new String[] {"wall time", String.format(Locale.ROOT, "%.1f s", elapsedNanos / 1e9)},
                new String[] {"events per second", human(steps * 1e9 / Math.max(1, elapsedNanos))}));
        int shown = Math.min(Math.max(0, show), failures.size());
        for (SimulationFailure f : failures.subList(0, shown)) {
            System.out.println("  " + f.getMessage().lines().findFirst().orElse("") + "\n    replay: "
                    + replay(f));
        }
        if (failures.size() > shown) {
            System.out.println("  ... and " + (failures.size() - shown) + " more");
        }
    }

    private static String human(double perSecond) {
        return perSecond >= 1e6 ? String.format(Locale.ROOT, "%.2fM", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
    }

    /** The failure's replay command, with the game path it needs to find its game. */
    private String replay(SimulationFailure f) {
        StringBuilder out = new StringBuilder(f.replayCommand());
        gamePath.forEach(p -> out.append(" --game-path ").append(p));
        new java.util.TreeMap<>(gameOpts).forEach((k, v) -> out.append(" --game-opt ").append(k).append('=').append(v));
        return out.toString();
    }
}
