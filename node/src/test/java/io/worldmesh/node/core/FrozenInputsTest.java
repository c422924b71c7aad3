package io.worldmesh.node.core;

import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.Decision;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.RejectReason;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inputs that reach a player while it is frozen for a handover. The gateway forwards an input before it has seen
 * the HOLD; if the handover then aborts, the next input may reach the source after it unfroze and before the
 * gateway's replay, which then comes too late: without the source keeping what reached the frozen player, the
 * first input would be overtaken and dropped as stale.
 */
class FrozenInputsTest {

    private static final long TICK = 50_000_000L;

    private final WorldSettings settings = WorldSettings.DEFAULTS.withGrid(2, 1).withDwell(0.5, 0);
    private final CellAssignment cells = CellAssignment.stripes(2, 1, List.of("n1", "n2"));
    private final World world = new World(settings, new OrbGame(),
            new WorldPlacement(Set.copyOf(cells.cellsOf("n1")), 0, 1));
    private final NodeCore core = new NodeCore(new NodeCoreSettings("n1", HandoverSettings.DEFAULTS, TICK), world,
            cells, new HandoverTokens(new byte[16]), () -> true, new SplittableRandom(1),
            new WorldInfo("n1", "orbs", 20, 2, 1, settings.cellSizeM(), settings.maxSpeedMps(), Map.of()));
    private long now;

    private List<NodeEffect> handle(NodeInput input) {
        return core.handle(input, now, 1_000_000 + now / 1_000_000);
    }

    private List<NodeEffect> input(String player, long seq, Vec2 move) {
        return handle(new NodeInput.FromGateway("g1", new ToNode.Input(player, new ClientMessage.Input(seq, move, 0,
                null))));
    }

    private static <T extends NodeEffect> T only(List<NodeEffect> effects, Class<T> type) {
        List<NodeEffect> found = effects.stream().filter(type::isInstance).toList();
        assertThat(found).as("one %s in %s", type.getSimpleName(), effects).hasSize(1);
        return type.cast(found.get(0));
    }

    @Test
    void anInputThatReachedTheFrozenPlayerIsAppliedAfterAnAbortBeforeLaterOnes() {
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        NodeEffect.CallDirectory create = only(handle(new NodeInput.FromGateway("g1",
                new ToNode.Attach(7, "ana", null))), NodeEffect.CallDirectory.class);
        handle(new NodeInput.DirectoryAnswered(create.opId(), new CreateOutcome.Created(new OwnerRecord("n1", 1))));
        Player p = world.players().get(0);
        input(p.id(), 1, new Vec2(1, 0));
        NodeEffect.CallPeer prepare = null;
        for (long tick = 1; prepare == null && tick < 400; tick++) {
            now = tick * TICK;
            prepare = handle(new NodeInput.Tick(tick)).stream().filter(NodeEffect.CallPeer.class::isInstance)
                    .map(NodeEffect.CallPeer.class::cast).findFirst().orElse(null);
        }
        assertThat(prepare).as("the player walked into n2's cell and was frozen").isNotNull();
        assertThat(p.frozen()).isTrue();

        input(p.id(), 2, new Vec2(-1, 0)); // forwarded before the gateway saw the HOLD
        assertThat(p.lastAppliedSeq()).isEqualTo(1);

        NodeEffect.CallDirectory resolve = only(handle(new NodeInput.PeerAnswered(prepare.callId(),
                new PeerReply.Rejected("t", RejectReason.BUSY, "busy"))), NodeEffect.CallDirectory.class);
        List<NodeEffect> aborted = handle(new NodeInput.DirectoryAnswered(resolve.opId(), Decision.ABORT));
        assertThat(only(aborted, NodeEffect.ToGatewayFrame.class).frame()).isInstanceOf(ToGateway.Release.class);
        assertThat(p.frozen()).isFalse();

        input(p.id(), 3, new Vec2(0, 1)); // still in flight when the source unfroze
        input(p.id(), 2, new Vec2(-1, 0)); // the gateway's replay after RELEASE
        input(p.id(), 3, new Vec2(0, 1));
        assertThat(p.lastAppliedSeq()).isEqualTo(3);
        assertThat(p.appliedInputs()).as("inputs 1, 2 and 3, each once").isEqualTo(3);
    }
}
