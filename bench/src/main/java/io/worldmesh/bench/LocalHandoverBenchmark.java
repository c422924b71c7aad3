package io.worldmesh.bench;

import io.worldmesh.engine.Player;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A local handover: one tick in which a player steps across a cell border and is moved to the other cell, with
 * the game's cell hooks. Hysteresis and dwell are off so that every tick crosses (back and forth), which the
 * tear-down verifies; the figure is therefore a whole tick with a handover in it, an upper bound on the handover.
 * The direction of each step comes from the cell the player is in, not from a count kept across iterations: each
 * iteration starts a new world, and a count carried over from the last one could start it stepping away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LocalHandoverBenchmark {

    private World world;
    private Player player;
    private long seq;
    private long handoversAtStart;
    private long ticksAtStart;

    @Setup(Level.Iteration)
    public void setUp() {
        WorldSettings settings = WorldSettings.DEFAULTS.withDwell(0, 0);
        world = new World(settings, new OrbGame());
        seq = 0; // a new player's inputs start at 1
        // Just short of the border between cells (0,0) and (1,0), so that each 0.4 m step crosses it.
        player = world.join("bench", settings.cellSizeM() - 0.2, settings.cellSizeM() / 2);
        handoversAtStart = world.stats().localHandovers();
        ticksAtStart = world.stats().ticks();
    }

    @Benchmark
    public long crossBorder() {
        double dir = player.cell().cx() == 0 ? 1 : -1; // towards the border with the other cell
        world.applyInput(player.id(), new ClientMessage.Input(++seq, new Vec2(dir, 0), 0, null));
        world.step();
        return world.stats().localHandovers();
    }

    @TearDown(Level.Iteration)
    public void verify() {
        long handovers = world.stats().localHandovers() - handoversAtStart;
        long ticks = world.stats().ticks() - ticksAtStart;
        if (handovers != ticks) {
            throw new IllegalStateException("expected a handover every tick: " + handovers + " in " + ticks);
        }
    }
}
