package io.worldmesh.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worldmesh.api.Game;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.node.NodeSettings;
import io.worldmesh.node.SimulationNode;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One node simulating many moving players: every tick each player sends an input (a random walk), the world
 * steps, and every player's area-of-interest snapshot is encoded for sending. Measures the time of each tick's
 * work on the simulation thread, which is what must fit in the tick's slot (50 ms at 20 Hz).
 */
public final class TickBench {

    /** What one run measured. */
    public record Result(int players, long ticks, double p50Ms, double p99Ms, double maxMs, double meanMs,
                         double snapshotKib, long localHandovers) {
    }

    private final WorldSettings settings;
    private final Game game;
    private final int players;
    private final int warmupTicks;
    private final int ticks;
    private final PrintStream progress;

    public TickBench(WorldSettings settings, Game game, int players, int warmupTicks, int ticks,
                     PrintStream progress) {
        this.settings = settings;
        this.game = game;
        this.players = players;
        this.warmupTicks = warmupTicks;
        this.ticks = ticks;
        this.progress = progress;
    }

    public Result run() {
        World world = new World(settings, game);
        SimulationNode node = new SimulationNode(new NodeSettings("bench", 1 << 16), world, new SimpleMeterRegistry());
        long[] bytes = new long[1];
        long[] messages = new long[1];
        node.connect(frame -> {
            if (frame instanceof ToGateway.ToClient c) {
                bytes[0] += c.json().length;
                messages[0]++;
            }
        });
        List<String> ids = new ArrayList<>(players);
        for (int i = 0; i < players; i++) {
            node.handle(new ToNode.Attach(i, "bench-" + i, null));
        }
        for (Player p : world.players()) {
            ids.add(p.id());
        }
        SplittableRandom random = new SplittableRandom(7);
        double[] heading = new double[players];
        long[] seq = new long[players];
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long handoversBefore = 0;
        long lastPrint = System.nanoTime();
        for (int t = 0; t < warmupTicks + ticks; t++) {
            if (t == warmupTicks) {
                histogram.reset();
                bytes[0] = 0;
                messages[0] = 0;
                handoversBefore = world.stats().localHandovers();
            }
            long start = System.nanoTime();
            for (int i = 0; i < players; i++) {
                if (random.nextInt(40) == 0) {
                    heading[i] = random.nextDouble(-Math.PI, Math.PI);
                }
                Vec2 move = new Vec2(Math.cos(heading[i]), Math.sin(heading[i]));
                node.handle(new ToNode.Input(ids.get(i), new ClientMessage.Input(++seq[i], move, heading[i], null)));
            }
            node.tickOnce();
            histogram.recordValue(Math.min(System.nanoTime() - start, histogram.getHighestTrackableValue()));
            if (progress != null && System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(1)) {
                lastPrint = System.nanoTime();
                progress.printf("tick bench: %d players, tick %d/%d, p99 so far %.2f ms%n", players,
                        t + 1, warmupTicks + ticks, Percentiles.ms(histogram, 99));
            }
        }
        node.close();
        return new Result(players, ticks, Percentiles.ms(histogram, 50), Percentiles.ms(histogram, 99),
                Percentiles.maxMs(histogram), histogram.getMean() / 1e6,
                messages[0] == 0 ? 0 : bytes[0] / (double) messages[0] / 1024.0,
                world.stats().localHandovers() - handoversBefore);
    }
}
