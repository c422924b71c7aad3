package io.worldmesh.app;

import io.worldmesh.embedded.Games;
import io.worldmesh.engine.WorldSettings;
import picocli.CommandLine.Option;

/** The world's settings as command-line options, shared by every command that runs a world. */
final class WorldOptions {

    private static final WorldSettings D = WorldSettings.DEFAULTS;

    @Option(names = "--game", description = "Game to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            defaultValue = Games.DEFAULT, completionCandidates = GameNames.class)
    String game;

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

    /** Lists the games for picocli's help. */
    static final class GameNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Games.names().iterator();
        }
    }
}
