package io.worldmesh.node.core;

import io.worldmesh.api.CellRef;
import io.worldmesh.directory.CellAssignment;
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
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.PlayerState;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A player comes back to a node that owned it before (n2 -> n1 -> n2). Inputs the gateway forwarded to this node in
 * its first term may still be on the link, behind a stall, when it activates the player again; inputs forwarded in
 * between went to the other node and, if not applied there, come back in the gateway's replay after the switch. An
 * old input applied first would make those stale: so the node takes a player's inputs only once the gateway has
 * acknowledged its ROUTE, since the link carried everything sent before that first. Its first snapshot, though,
 * goes right behind the first ROUTE rather than at the next tick.
 */
class InputsAfterArrivalTest {

    private static final long TICK = 50_000_000L;
    private static final byte[] SECRET = new byte[16];

    private final WorldSettings settings = WorldSettings.DEFAULTS.withGrid(2, 1);
    private final CellAssignment cells = CellAssignment.stripes(2, 1, List.of("n1", "n2"));
    private final World world = new World(settings, new OrbGame(),
            new WorldPlacement(Set.copyOf(cells.cellsOf("n2")), 0, 2));
    private final NodeCore core = new NodeCore(new NodeCoreSettings("n2", HandoverSettings.DEFAULTS, TICK), world,
            cells, new HandoverTokens(SECRET), () -> true, new SplittableRandom(1),
            new WorldInfo("n2", "orbs", 20, 2, 1, settings.cellSizeM(), settings.maxSpeedMps(), Map.of()));

    /** What the activation (the COMMIT's owner read) produced. */
    private List<NodeEffect> activation = List.of();

    private List<NodeEffect> handle(NodeInput input) {
        return core.handle(input, TICK, 1_000_000);
    }

    private static <T extends NodeEffect> T only(List<NodeEffect> effects, Class<T> type) {
        List<NodeEffect> found = effects.stream().filter(type::isInstance).toList();
        assertThat(found).as("one %s in %s", type.getSimpleName(), effects).hasSize(1);
        return type.cast(found.get(0));
    }

    private void input(long seq) {
        handle(new NodeInput.FromGateway("g1", new ToNode.Input("p2-1", new ClientMessage.Input(seq,
                new Vec2(0, 1), 0, null))));
    }

    /** The player handed back from n1 at epoch 3, having applied inputs up to 21 (the last two on n1). */
    private Player arrive() {
        World source = new World(settings, new OrbGame(), new WorldPlacement(Set.copyOf(cells.cellsOf("n1")), 0, 1));
        PlayerState s = source.stateOf(source.join("ana", 60, 10).id());
        double x = settings.cellSizeM() + 1; // just inside n2's cell
        PlayerState state = new PlayerState("p2-1", s.name(), s.color(), x, s.z(), 0, 0, 0, 0, 0, 21, 21,
                s.cellEnteredTick(), 0, 2, s.sessionData());
        CellRef from = new CellRef(0, 0);
        CellRef to = new CellRef(1, 0);
        long expires = 1_000_000 + 5_000;
        String token = new HandoverTokens(SECRET).mint(UUID.randomUUID(), "p2-1", from, to, 2, expires);
        PeerRequest.Prepare prepare = new PeerRequest.Prepare("p2-1", "n1", "n2", "g1", 3, from, to, state, token,
                expires, 2);
        NodeEffect.CallDirectory read = only(handle(new NodeInput.FromPeer(1, prepare)),
                NodeEffect.CallDirectory.class);
        handle(new NodeInput.DirectoryAnswered(read.opId(), Optional.empty()));
        NodeEffect.CallDirectory owner = only(handle(new NodeInput.FromPeer(2, new PeerRequest.Commit("p2-1", token,
                3))), NodeEffect.CallDirectory.class);
        List<NodeEffect> activated = handle(new NodeInput.DirectoryAnswered(owner.opId(),
                Optional.of(new OwnerRecord("n2", 3))));
        assertThat(only(activated, NodeEffect.ReplyPeer.class).reply()).isInstanceOf(PeerReply.Confirmed.class);
        assertThat(activated).contains(new NodeEffect.ToGatewayFrame("g1", new ToGateway.Route("p2-1", 3, 21)));
        activation = activated;
        return world.player("p2-1").orElseThrow();
    }

    @Test
    void anInputLeftOnTheLinkFromAnEarlierTermDoesNotOvertakeTheReplay() {
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        Player p = arrive();
        input(27); // forwarded to n2 at epoch 1, before the player went to n1 with inputs 22..26 unapplied
        input(28);
        assertThat(p.lastAppliedSeq()).isEqualTo(21);
        handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck("p2-1", 3)));
        for (long seq = 22; seq <= 28; seq++) {
            input(seq); // the gateway's replay after the switch, in order
        }
        assertThat(p.lastAppliedSeq()).isEqualTo(28);
        assertThat(p.appliedInputs()).as("21 before, 22..28 now, each once").isEqualTo(28);
    }

    private List<ToGateway.ToClient> snapshotsAtActivation() {
        return activation.stream().filter(NodeEffect.ToGatewayFrame.class::isInstance)
                .map(e -> ((NodeEffect.ToGatewayFrame) e).frame())
                .filter(f -> f instanceof ToGateway.ToClient c && c.droppable()).map(ToGateway.ToClient.class::cast)
                .toList();
    }

    @Test
    void theFirstRouteIsFollowedByTheArrivedPlayersFirstSnapshot() {
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        handle(new NodeInput.Tick(5)); // this node's world is at tick 5; the handed-over state is of tick 0
        arrive();
        List<ToGateway.ToClient> snapshots = snapshotsAtActivation();
        assertThat(snapshots).singleElement().satisfies(c -> {
            assertThat(c.playerId()).isEqualTo("p2-1");
            assertThat(c.tick()).isEqualTo(5);
            assertThat(c.lastAppliedSeq()).isEqualTo(21);
            assertThat(new String(c.json(), StandardCharsets.UTF_8))
                    .startsWith("{\"type\":\"snapshot\",\"tick\":5,");
        });
        int route = activation.indexOf(new NodeEffect.ToGatewayFrame("g1", new ToGateway.Route("p2-1", 3, 21)));
        NodeEffect snapshot = activation.stream().filter(e -> e instanceof NodeEffect.ToGatewayFrame f
                && f.frame() == snapshots.get(0)).findFirst().orElseThrow();
        assertThat(activation.indexOf(snapshot)).as("after the ROUTE").isGreaterThan(route);
    }

    @Test
    void noSnapshotAtActivationWhenTheWorldIsNotPastTheHandedOverTick() {
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        arrive(); // the world at tick 0, as the handed-over state: its client has seen tick 0 from the source
        assertThat(snapshotsAtActivation()).isEmpty();
    }

    @Test
    void anArrivedPlayerIsNotHandedOnBeforeTheGatewayAcknowledgedItsRoute() {
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        arrive();
        CompletableFuture<BenchHandoverStart> before = new CompletableFuture<>();
        handle(new NodeInput.BenchHandover("p2-1", before));
        assertThat(before.join()).isEqualTo(new BenchHandoverStart.Refused(
                "waiting for the gateway to route this player here"));
        handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck("p2-1", 3)));
        CompletableFuture<BenchHandoverStart> after = new CompletableFuture<>();
        handle(new NodeInput.BenchHandover("p2-1", after));
        assertThat(after.join()).isInstanceOf(BenchHandoverStart.Started.class);
    }
}
