package io.worldmesh.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.worldmesh.engine.EngineStats;
import io.worldmesh.engine.World;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/** The node's meters: tick duration, players, local handovers, rejected inputs, mailbox pressure. */
final class NodeMetrics {

    final Timer tickDuration;
    final Counter tickOverruns;
    final Counter mailboxRejected;

    NodeMetrics(MeterRegistry registry, String nodeId, World world, IntSupplier mailboxDepth) {
        EngineStats stats = world.stats();
        tickDuration = Timer.builder("worldmesh.tick.duration")
                .description("Time to simulate one tick and encode its snapshots")
                .tag("node", nodeId)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMillis(500))
                .register(registry);
        tickOverruns = Counter.builder("worldmesh.tick.overruns")
                .description("Ticks that started late because the previous one ran past its slot")
                .tag("node", nodeId).register(registry);
        mailboxRejected = Counter.builder("worldmesh.mailbox.rejected")
                .description("Frames refused because the simulation's mailbox was full")
                .tag("node", nodeId).register(registry);
        Gauge.builder("worldmesh.players", world, World::playerCount)
                .description("Players in this node's world").tag("node", nodeId).register(registry);
        // Strongly held: Micrometer keeps a gauge's object weakly, and nothing else holds this supplier.
        Gauge.builder("worldmesh.mailbox.depth", mailboxDepth, s -> s.getAsInt())
                .description("Frames waiting for the simulation thread").tag("node", nodeId)
                .strongReference(true).register(registry);
        counter(registry, nodeId, "worldmesh.handovers.local", "Players moved between cells of this node",
                stats, EngineStats::localHandovers, null);
        counter(registry, nodeId, "worldmesh.game.events", "Game events sent to players", stats,
                EngineStats::gameEvents, null);
        counter(registry, nodeId, "worldmesh.inputs.applied", "Inputs applied", stats,
                EngineStats::appliedInputs, null);
        counter(registry, nodeId, "worldmesh.inputs.rejected", "Inputs refused by the simulation", stats,
                EngineStats::staleInputs, "stale_seq");
        counter(registry, nodeId, "worldmesh.inputs.rejected", "Inputs refused by the simulation", stats,
                EngineStats::unknownPlayerInputs, "unknown_player");
        counter(registry, nodeId, "worldmesh.inputs.rejected", "Inputs refused by the simulation", stats,
                EngineStats::teleportAttempts, "teleport");
        counter(registry, nodeId, "worldmesh.inputs.rejected", "Inputs refused by the simulation", stats,
                EngineStats::badActions, "bad_action");
    }

    private static void counter(MeterRegistry registry, String nodeId, String name, String description,
                                EngineStats stats, ToDoubleFunction<EngineStats> f, String reason) {
        FunctionCounter.Builder<EngineStats> b = FunctionCounter.builder(name, stats, f)
                .description(description).tag("node", nodeId);
        if (reason != null) {
            b.tag("reason", reason);
        }
        b.register(registry);
    }
}
