package io.worldmesh.node.core;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.FencedWrite;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.node.NodeMetrics;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A departed player's owner record is removed from the directory; when that call fails, the core tries again
 * from the tick, a second later, with the same fenced record, until an answer comes; the node's metrics count it.
 */
class OwnerRemovalRetryTest {

    private static final long TICK = 50_000_000L;

    /** No resume window: a player whose client has gone leaves at the next tick. */
    private final WorldSettings settings = new WorldSettings(2, 1, 64.0, 20, 8.0, 2.0, 10, 6.0, 0, 1L);
    private final CellAssignment cells = CellAssignment.stripes(2, 1, List.of("n1", "n2"));
    private final World world = new World(settings, new OrbGame(),
            new WorldPlacement(Set.copyOf(cells.cellsOf("n1")), 0, 1));
    private final NodeCore core = new NodeCore(new NodeCoreSettings("n1", HandoverSettings.DEFAULTS, TICK), world,
            cells, new HandoverTokens(new byte[16]), () -> true, new SplittableRandom(1),
            new WorldInfo("n1", "orbs", 20, 2, 1, settings.cellSizeM(), settings.maxSpeedMps(), Map.of()));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private long now;
    private long tick;

    private List<NodeEffect> handle(NodeInput input) {
        return core.handle(input, now, 1_000_000 + now / 1_000_000);
    }

    /** Ticks on for {@code nanos} and returns the removals the core asked for meanwhile. */
    private List<NodeEffect.CallDirectory> tickFor(long nanos) {
        long until = now + nanos;
        List<NodeEffect.CallDirectory> removals = new java.util.ArrayList<>();
        while (now < until) {
            now += TICK;
            handle(new NodeInput.Tick(++tick)).stream().filter(e -> e instanceof NodeEffect.CallDirectory c
                            && c.op() instanceof DirectoryOp.RemovePlayer)
                    .forEach(e -> removals.add((NodeEffect.CallDirectory) e));
        }
        return removals;
    }

    @Test
    void aFailedRemovalIsTriedAgainEverySecondUntilAnswered() {
        new NodeMetrics(registry, "n1", world, core::handoversInFlight).watchCore(core.counters());
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        NodeEffect.CallDirectory create = (NodeEffect.CallDirectory) handle(new NodeInput.FromGateway("g1",
                new ToNode.Attach(7, "ana", null))).stream().filter(NodeEffect.CallDirectory.class::isInstance)
                .findFirst().orElseThrow();
        handle(new NodeInput.DirectoryAnswered(create.opId(), new CreateOutcome.Created(new OwnerRecord("n1", 1))));
        String player = world.players().getFirst().id();
        handle(new NodeInput.FromGateway("g1", new ToNode.Detach(player, 7)));

        List<NodeEffect.CallDirectory> first = tickFor(TICK * 2);
        assertThat(first).hasSize(1);
        DirectoryOp.RemovePlayer op = (DirectoryOp.RemovePlayer) first.getFirst().op();
        assertThat(op).isEqualTo(new DirectoryOp.RemovePlayer(player, new OwnerRecord("n1", 1)));
        assertThat(world.player(player)).isEmpty();

        handle(new NodeInput.DirectoryFailed(first.getFirst().opId(), "timed out"));
        assertThat(tickFor(NodeCore.REMOVAL_RETRY_NANOS / 2)).as("not at once: a second later").isEmpty();
        List<NodeEffect.CallDirectory> again = tickFor(NodeCore.REMOVAL_RETRY_NANOS);
        assertThat(again).extracting(NodeEffect.CallDirectory::op).containsExactly(op);

        handle(new NodeInput.DirectoryFailed(again.getFirst().opId(), "connection reset"));
        List<NodeEffect.CallDirectory> third = tickFor(NodeCore.REMOVAL_RETRY_NANOS + TICK);
        assertThat(third).extracting(NodeEffect.CallDirectory::op).containsExactly(op);

        handle(new NodeInput.DirectoryAnswered(third.getFirst().opId(), new FencedWrite.Written()));
        assertThat(tickFor(NodeCore.REMOVAL_RETRY_NANOS * 3)).as("answered: nothing owed").isEmpty();
        assertThat(core.counters().removalsRetried()).isEqualTo(2);
        assertThat(core.counters().removalsAbandoned()).isZero();
        // The same counts as the node's metrics show them.
        assertThat(registry.get("worldmesh.node.owner.removals.retried").tag("node", "n1").functionCounter().count())
                .isEqualTo(2);
        assertThat(registry.get("worldmesh.node.directory.failures").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("worldmesh.node.joins").functionCounter().count()).isEqualTo(1);
        assertThat(registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("worldmesh.node.")))
                .hasSize(37);
    }
}
