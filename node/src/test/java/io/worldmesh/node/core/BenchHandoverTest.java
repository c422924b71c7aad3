package io.worldmesh.node.core;

import io.worldmesh.api.CellRef;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark hook's input: the crossing a walking player makes, started at once. Two columns: n1 | n2. */
class BenchHandoverTest {

    private static final WorldSettings SETTINGS = WorldSettings.DEFAULTS.withGrid(2, 2);
    private static final CellAssignment ASSIGNMENT = CellAssignment.stripes(2, 2, List.of("n1", "n2"));

    private boolean crossNode = true;
    private final NodeCore core = new NodeCore(
            new NodeCoreSettings("n1", HandoverSettings.DEFAULTS, TimeUnit.MILLISECONDS.toNanos(50)),
            new World(SETTINGS, new OrbGame(), new WorldPlacement(new HashSet<>(ASSIGNMENT.cellsOf("n1")), 0, 1)),
            ASSIGNMENT, new HandoverTokens("a-test-secret-of-some-length".getBytes(StandardCharsets.UTF_8)),
            () -> crossNode, new SplittableRandom(1), new WorldInfo("n1", "orbs", 20, 2, 2, 64, 8, Map.of()));
    private long now = 1_000_000;

    private List<NodeEffect> handle(NodeInput input) {
        now += 1_000;
        return core.handle(input, now, now / 1_000_000);
    }

    /** A player joins through gateway g1 and its first owner record is written. */
    private String join() {
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        NodeEffect.CallDirectory create = (NodeEffect.CallDirectory) handle(new NodeInput.FromGateway("g1",
                new ToNode.Attach(7, "ann", null))).getFirst();
        String id = ((DirectoryOp.CreatePlayer) create.op()).playerId();
        handle(new NodeInput.DirectoryAnswered(create.opId(), new CreateOutcome.Created(new OwnerRecord("n1", 1))));
        return id;
    }

    private BenchHandoverStart bench(String playerId, List<NodeEffect> effects) {
        CompletableFuture<BenchHandoverStart> result = new CompletableFuture<>();
        effects.addAll(handle(new NodeInput.BenchHandover(playerId, result)));
        assertThat(result).isDone();
        return result.join();
    }

    @Test
    void startsTheHandoverAtOnceAcrossTheBorder() {
        String id = join();
        List<NodeEffect> effects = new ArrayList<>();
        BenchHandoverStart start = bench(id, effects);

        assertThat(core.isHandingOver(id)).isTrue();
        assertThat(effects).anySatisfy(e -> assertThat(e).isEqualTo(
                new NodeEffect.ToGatewayFrame("g1", new ToGateway.Hold(id, 1))));
        PeerRequest.Prepare prepare = effects.stream().filter(NodeEffect.CallPeer.class::isInstance)
                .map(e -> (PeerRequest.Prepare) ((NodeEffect.CallPeer) e).request()).findFirst().orElseThrow();
        assertThat(prepare.targetNode()).isEqualTo("n2");
        assertThat(prepare.fromCell().cx()).isZero();
        assertThat(prepare.toCell()).isEqualTo(new CellRef(1, prepare.fromCell().cz()));
        assertThat(prepare.state().x()).isEqualTo(64 + SETTINGS.hysteresisM());
        assertThat(start).isEqualTo(new BenchHandoverStart.Started(prepare.token(), "n2"));

        assertThat(bench(id, new ArrayList<>())).isInstanceOf(BenchHandoverStart.Refused.class);
    }

    @Test
    void refusesWhatAWalkingPlayerWouldNotDo() {
        assertThat(bench("nobody", new ArrayList<>())).isInstanceOf(BenchHandoverStart.Refused.class);
        String id = join();
        crossNode = false;
        List<NodeEffect> effects = new ArrayList<>();
        assertThat(bench(id, effects)).isEqualTo(new BenchHandoverStart.Refused("cross-node handover is off"));
        assertThat(effects).isEmpty();
        assertThat(core.isHandingOver(id)).isFalse();
        assertThat(core.world().player(id).orElseThrow().frozen()).isFalse();
    }
}
