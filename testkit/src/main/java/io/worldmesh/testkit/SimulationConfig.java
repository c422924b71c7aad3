package io.worldmesh.testkit;

import io.worldmesh.engine.WorldSettings;
import io.worldmesh.handover.HandoverSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of one simulated run; the seed picks everything else. The grid is {@code nodes * cellsPerNode} columns
 * in stripes of whole columns, with cells small enough that a walking player crosses a node border every second
 * or two.
 *
 * @param nodes              simulation nodes {@code n1 .. nN}
 * @param players            simulated clients, each playing one player at a time
 * @param cellsPerNode       columns of cells per node
 * @param cellsZ             rows of cells
 * @param cellSizeM          edge of a cell
 * @param resumeWindowTicks  how long a disconnected player waits to be resumed before it leaves
 * @param faultPhase         virtual time with {@link #faults}, clients walking and acting
 * @param healPhase          virtual time after it, with no faults and clients standing still: long enough for every
 *                           handover to end and every input to be applied
 * @param handover           the handover's timeouts; shorter than the defaults so that a run is short, in the same
 *                           proportions
 * @param directoryTimeout   the shortest a node waits for a directory answer before the call fails; each run draws
 *                           its own, up to three times this, so that it falls on either side of the commit timeout
 *                           and both the failed call and the commit timer get to come first
 * @param failover           the cell assignment is in the directory, as a cluster keeps it, so that live nodes take
 *                           a dead node's cells and players (rule 12); off, a node whose lease lapsed is fenced and
 *                           comes back, or reconciles its own players when it restarts, and nobody takes them
 */
public record SimulationConfig(int nodes, int players, int cellsPerNode, int cellsZ, double cellSizeM,
                               int resumeWindowTicks, Duration faultPhase, Duration healPhase, Faults faults,
                               HandoverSettings handover, Duration directoryTimeout, boolean failover) {

    public static final int TICK_RATE_HZ = 20;

    public static SimulationConfig defaults() {
        return new SimulationConfig(3, 6, 2, 2, 8.0, 30, Duration.ofSeconds(6), Duration.ofSeconds(5),
                Faults.DEFAULT, new HandoverSettings(Duration.ofMillis(600), Duration.ofMillis(400),
                Duration.ofMillis(300), Duration.ofMillis(40), Duration.ofMillis(250), Duration.ofMillis(1200),
                4096, 4096), Duration.ofMillis(250), false);
    }

    public SimulationConfig {
        List<String> p = new ArrayList<>();
        if (nodes < 1 || nodes > 16) p.add("nodes must be 1..16, was " + nodes);
        if (players < 0 || players > 200) p.add("players must be 0..200, was " + players);
        if (cellsPerNode < 1 || cellsZ < 1) p.add("the grid needs at least one cell per node");
        if (faultPhase.isNegative() || healPhase.isNegative()) p.add("phases must be >= 0");
        if (directoryTimeout.isNegative() || directoryTimeout.isZero()) p.add("directory timeout must be > 0");
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("invalid simulation: " + String.join("; ", p));
        }
    }

    public int cellsX() {
        return nodes * cellsPerNode;
    }

    public long tickNanos() {
        return 1_000_000_000L / TICK_RATE_HZ;
    }

    /** The world every node runs; the seed varies per node so that games spawn differently. */
    public WorldSettings world(long seed) {
        return new WorldSettings(cellsX(), cellsZ, cellSizeM, TICK_RATE_HZ, 8.0, 0.5, 4, 6.0, resumeWindowTicks,
                seed);
    }

    public long endNanos() {
        return faultPhase.plus(healPhase).toNanos();
    }

    public SimulationConfig withNodes(int n) {
        return new SimulationConfig(n, players, cellsPerNode, cellsZ, cellSizeM, resumeWindowTicks, faultPhase,
                healPhase, faults, handover, directoryTimeout, failover);
    }

    public SimulationConfig withPlayers(int n) {
        return new SimulationConfig(nodes, n, cellsPerNode, cellsZ, cellSizeM, resumeWindowTicks, faultPhase,
                healPhase, faults, handover, directoryTimeout, failover);
    }

    public SimulationConfig withFaults(Faults f) {
        return new SimulationConfig(nodes, players, cellsPerNode, cellsZ, cellSizeM, resumeWindowTicks, faultPhase,
                healPhase, f, handover, directoryTimeout, failover);
    }

    public SimulationConfig withPhases(Duration faults, Duration heal) {
        return new SimulationConfig(nodes, players, cellsPerNode, cellsZ, cellSizeM, resumeWindowTicks, faults, heal,
                this.faults, handover, directoryTimeout, failover);
    }

    public SimulationConfig withFailover(boolean on) {
        return new SimulationConfig(nodes, players, cellsPerNode, cellsZ, cellSizeM, resumeWindowTicks, faultPhase,
                healPhase, faults, handover, directoryTimeout, on);
    }
}
