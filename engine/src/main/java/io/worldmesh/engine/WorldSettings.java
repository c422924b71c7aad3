package io.worldmesh.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything that shapes a world, with units in the names.
 *
 * @param cellsX              cells along x
 * @param cellsZ              cells along z
 * @param cellSizeM           edge of a square cell, metres
 * @param tickRateHz          simulation ticks per second
 * @param maxSpeedMps         fastest a player moves, metres per second
 * @param hysteresisM         how far past a border a player must be before its cell changes, metres
 * @param minDwellTicks       ticks a player stays in a cell before it may change cell again
 * @param teleportToleranceM  how far a client's predicted position may stray before it counts as a teleport attempt
 * @param resumeWindowTicks   ticks a disconnected player stays in the world, waiting to be resumed
 * @param seed                seeds the world's random source: the same seed gives the same world
 */
public record WorldSettings(int cellsX, int cellsZ, double cellSizeM, int tickRateHz, double maxSpeedMps,
                            double hysteresisM, int minDwellTicks, double teleportToleranceM,
                            int resumeWindowTicks, long seed) {

    public static final WorldSettings DEFAULTS = new WorldSettings(8, 8, 64.0, 20, 8.0, 2.0, 10, 6.0, 600, 1L);

    public WorldSettings {
        List<String> problems = problems(cellsX, cellsZ, cellSizeM, tickRateHz, maxSpeedMps, hysteresisM,
                minDwellTicks, teleportToleranceM, resumeWindowTicks);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid world settings: " + String.join("; ", problems));
        }
    }

    /** Every problem at once, so an operator fixes them in one go. */
    private static List<String> problems(int cellsX, int cellsZ, double cellSizeM, int tickRateHz,
                                         double maxSpeedMps, double hysteresisM, int minDwellTicks,
                                         double teleportToleranceM, int resumeWindowTicks) {
        List<String> p = new ArrayList<>();
        if (cellsX < 1 || cellsX > 1024) p.add("cells-x must be 1..1024, was " + cellsX);
        if (cellsZ < 1 || cellsZ > 1024) p.add("cells-z must be 1..1024, was " + cellsZ);
        if (!(cellSizeM >= 4)) p.add("cell size must be >= 4 m, was " + cellSizeM);
        if (tickRateHz < 1 || tickRateHz > 120) p.add("tick rate must be 1..120 Hz, was " + tickRateHz);
        if (!(maxSpeedMps > 0)) p.add("max speed must be > 0, was " + maxSpeedMps);
        if (!(hysteresisM >= 0) || hysteresisM >= cellSizeM / 4) p.add("hysteresis must be in [0, cell size / 4), was " + hysteresisM);
        if (minDwellTicks < 0) p.add("min dwell must be >= 0 ticks, was " + minDwellTicks);
        if (!(teleportToleranceM > 0)) p.add("teleport tolerance must be > 0, was " + teleportToleranceM);
        if (resumeWindowTicks < 0) p.add("resume window must be >= 0 ticks, was " + resumeWindowTicks);
        return p;
    }

    public double tickSeconds() {
        return 1.0 / tickRateHz;
    }

    public double widthM() {
        return cellsX * cellSizeM;
    }

    public double depthM() {
        return cellsZ * cellSizeM;
    }

    public WorldSettings withSeed(long newSeed) {
        return new WorldSettings(cellsX, cellsZ, cellSizeM, tickRateHz, maxSpeedMps, hysteresisM, minDwellTicks,
                teleportToleranceM, resumeWindowTicks, newSeed);
    }

    public WorldSettings withGrid(int x, int z) {
        return new WorldSettings(x, z, cellSizeM, tickRateHz, maxSpeedMps, hysteresisM, minDwellTicks,
                teleportToleranceM, resumeWindowTicks, seed);
    }

    public WorldSettings withDwell(double hysteresis, int dwellTicks) {
        return new WorldSettings(cellsX, cellsZ, cellSizeM, tickRateHz, maxSpeedMps, hysteresis, dwellTicks,
                teleportToleranceM, resumeWindowTicks, seed);
    }
}
