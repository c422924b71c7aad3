package io.worldmesh.bench;

import io.worldmesh.api.Game;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.node.core.NodeCore;
import io.worldmesh.node.core.NodeCoreSettings;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.node.core.NodeLifecycle;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.link.WorldInfo;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One node core simulating many moving players: every tick each player sends an input (a random walk), the world
 * steps, and every player's area-of-interest snapshot is encoded for sending. The core runs without IO, its
 * directory calls answered at once by an in-memory directory. Measures the time of each tick's
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
        World world = new World(settings, game, WorldPlacement.wholeGrid(settings));
        InMemoryDirectory directory = new InMemoryDirectory();
        NodeCore core = new NodeCore(new NodeCoreSettings("bench", HandoverSettings.DEFAULTS,
                TimeUnit.SECONDS.toNanos(1) / settings.tickRateHz()), world,
                CellAssignment.stripes(settings.cellsX(), settings.cellsZ(), List.of("bench")),
                new HandoverTokens(new byte[16]), () -> false, new SplittableRandom(1),
                new WorldInfo("bench", game.name(), settings.tickRateHz(), settings.cellsX(), settings.cellsZ(),
                        settings.cellSizeM(), settings.maxSpeedMps(), java.util.Map.of()));
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        long[] bytes = new long[1];
        long[] messages = new long[1];
        Deque<NodeInput> answers = new ArrayDeque<>();
        java.util.function.Consumer<NodeInput> run = new java.util.function.Consumer<>() {
            @Override
            public void accept(NodeInput input) {
                answers.add(input);
                NodeInput next;
                while ((next = answers.poll()) != null) {
                    for (NodeEffect e : core.handle(next, System.nanoTime(), System.currentTimeMillis())) {
                        switch (e) {
                            case NodeEffect.ToGatewayFrame f when f.frame() instanceof ToGateway.ToClient c -> {
                                bytes[0] += c.json().length;
                                messages[0]++;
                            }
                            case NodeEffect.CallDirectory d -> answers.add(new NodeInput.DirectoryAnswered(d.opId(),
                                    d.op().run(directory).toCompletableFuture().join()));
                            default -> { }
                        }
                    }
                }
            }
        };
        List<String> ids = new ArrayList<>(players);
        for (int i = 0; i < players; i++) {
            run.accept(new NodeInput.FromGateway("g1", new ToNode.Attach(i, "bench-" + i, null)));
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
                run.accept(new NodeInput.FromGateway("g1", new ToNode.Input(ids.get(i),
                        new ClientMessage.Input(++seq[i], move, heading[i], null))));
            }
            run.accept(new NodeInput.Tick(world.tick() + 1));
            histogram.recordValue(Math.min(System.nanoTime() - start, histogram.getHighestTrackableValue()));
            if (progress != null && System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(1)) {
                lastPrint = System.nanoTime();
                progress.printf("tick bench: %d players, tick %d/%d, p99 so far %.2f ms%n", players,
                        t + 1, warmupTicks + ticks, Percentiles.ms(histogram, 99));
            }
        }
        return new Result(players, ticks, Percentiles.ms(histogram, 50), Percentiles.ms(histogram, 99),
                Percentiles.maxMs(histogram), histogram.getMean() / 1e6,
                messages[0] == 0 ? 0 : bytes[0] / (double) messages[0] / 1024.0,
                world.stats().localHandovers() - handoversBefore);
    }
}
