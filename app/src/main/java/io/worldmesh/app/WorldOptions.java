package io.worldmesh.app;

import io.worldmesh.engine.GameCatalog;
import io.worldmesh.engine.WorldSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The world's settings as command-line options, shared by every command that runs a world. */
final class WorldOptions {

    private static final WorldSettings D = WorldSettings.DEFAULTS;

    @Option(names = "--game", description = "Game to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            defaultValue = GameCatalog.DEFAULT, completionCandidates = GameNames.class)
    String game;

    private List<Path> gamePath = List.of();
    private GameCatalog games;

    @Option(names = "--game-path", paramLabel = "JAR_OR_DIR", description = "Where else to find games (repeatable): "
            + "a game's jar, a directory of jars, or a directory of classes with "
            + "META-INF/services/io.worldmesh.api.GameProvider. The games on the classpath are always found.")
    void gamePath(List<Path> paths) {
        gamePath = List.copyOf(paths);
        GameNames.gamePath = gamePath; // for --help, which lists the games found
    }

    List<Path> gamePath() {
        return gamePath;
    }

    @Option(names = "--game-opt", paramLabel = "NAME=VALUE", description = "A setting of the game (repeatable); "
            + "the settings each game takes are listed below. All are checked before anything starts, and every "
            + "node of a cluster must be given the same.")
    Map<String, String> gameOpts = new LinkedHashMap<>();

    /**
     * The games found on the classpath and the game path, the chosen one with its --game-opt settings; throws
     * {@link GameCatalog.Problem} saying what is wrong.
     */
    GameCatalog games() {
        if (games == null) {
            games = GameCatalog.load(gamePath).withOptions(game, gameOpts);
        }
        return games;
    }

    /** The game and its settings as every node of a cluster must run it, in one line. */
    String gameChoice() {
        return games().choice(game);
    }

    /** The --game-opt arguments again, for a child process. */
    List<String> gameOptArgs() {
        List<String> out = new java.util.ArrayList<>();
        new java.util.TreeMap<>(gameOpts).forEach((k, v) -> out.addAll(List.of("--game-opt", k + "=" + v)));
        return out;
    }

    @Option(names = "--cells-x", description = "Cells along x (default: ${DEFAULT-VALUE}).")
    int cellsX = D.cellsX();

    @Option(names = "--cells-z", description = "Cells along z (default: ${DEFAULT-VALUE}).")
    int cellsZ = D.cellsZ();

    @Option(names = "--cell-size", description = "Cell edge in metres (default: ${DEFAULT-VALUE}).")
    double cellSize = D.cellSizeM();

    @Option(names = "--tick-rate", description = "Ticks per second (default: ${DEFAULT-VALUE}).")
    int tickRate = D.tickRateHz();

    @Option(names = "--max-speed", description = "Player speed, metres per second (default: ${DEFAULT-VALUE}).")
    double maxSpeed = D.maxSpeedMps();

    @Option(names = "--hysteresis", description = "Metres past a border before a player changes cell "
            + "(default: ${DEFAULT-VALUE}).")
    double hysteresis = D.hysteresisM();

    @Option(names = "--min-dwell", description = "Ticks in a cell before the next cell change "
            + "(default: ${DEFAULT-VALUE}).")
    int minDwell = D.minDwellTicks();

    @Option(names = "--resume-window", description = "Ticks a disconnected player waits to be resumed "
            + "(default: ${DEFAULT-VALUE}).")
    int resumeWindow = D.resumeWindowTicks();

    @Option(names = "--seed", description = "Seed of the world's randomness (default: ${DEFAULT-VALUE}).")
    long seed = D.seed();

    WorldSettings settings() {
        return new WorldSettings(cellsX, cellsZ, cellSize, tickRate, maxSpeed, hysteresis, minDwell,
                D.teleportToleranceM(), resumeWindow, seed);
    }

    /**
     * Lists the games for picocli's help: those on the classpath and on the {@code --game-path} given with
     * {@code --help} (picocli makes this class itself, so the path reaches it through a static field).
     */
    /**
     * The help's footer on a command that runs a game: each game found and the settings it takes, from the
     * classpath and the {@code --game-path} given with {@code --help}.
     */
    static String gameSettingsHelp() {
        GameCatalog catalog;
        try {
            catalog = GameCatalog.load(GameNames.gamePath);
        } catch (IllegalArgumentException e) {
            catalog = GameCatalog.onClasspath();
        }
        StringBuilder out = new StringBuilder("\nGames (--game NAME) and their settings (--game-opt NAME=VALUE):\n");
        for (String name : catalog.names()) {
            out.append("  ").append(name).append(": ").append(catalog.summary(name)).append("\n");
            for (var s : catalog.settingsOf(name)) {
                out.append("      ").append(s.usage()).append("\n");
            }
        }
        return out.toString();
    }

    static final class GameNames implements Iterable<String> {
        static volatile List<Path> gamePath = List.of();

        @Override
        public java.util.Iterator<String> iterator() {
            try {
                return GameCatalog.load(gamePath).names().iterator();
            } catch (IllegalArgumentException e) {
                return GameCatalog.onClasspath().names().iterator();
            }
        }
    }
}
