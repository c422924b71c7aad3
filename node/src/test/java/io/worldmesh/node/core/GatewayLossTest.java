package io.worldmesh.node.core;

import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.engine.World;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's view of a gateway that goes away. A link that drops and comes back within the grace is a blip and costs
 * nothing. A link down for longer means the gateway is presumed dead: its players are disconnected, so their resume
 * windows run (they come back by a resume through any gateway, or leave); should the same start of the gateway
 * come back after all, they are connected again. A link from a new start of the gateway means the old start died:
 * the connections held for it are dropped, since the new start numbers its connections from the beginning again.
 */
class GatewayLossTest {

    private static final long TICK = OneCellNode.TICK;
    private static final long SECOND = 1_000_000_000L;
    /** An outage that is still a blip. */
    private static final long JUST_UNDER_GRACE = NodeCore.GATEWAY_GRACE_NANOS - 2 * TICK;

    private long now = SECOND;
    private long tick;
    private final InMemoryDirectory directory = new InMemoryDirectory(() -> now / 1_000_000);
    private final OneCellNode node = OneCellNode.running(); // a resume window of 200 ticks (10 s)
    private final World world = node.world();
    private final NodeCore core = node.core();
    private final List<NodeEffect> seen = new ArrayList<>();
    private String ana;
    private long seq;

    @BeforeEach
    void aPlayerJoinsThroughGatewayOne() {
        handle(new NodeInput.GatewayLinked("g1", 11));
        handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        ana = world.players().getFirst().id();
        moves("g1");
    }

    private void handle(NodeInput input) {
        DirectoryAtHand.handle(core, input, now, DirectoryAtHand.answeredBy(directory), seen);
    }

    private void tickFor(long nanos) {
        long until = now + nanos;
        while (now < until) {
            now += TICK;
            handle(new NodeInput.Tick(++tick));
        }
    }

    /** Sends the player's next input through {@code gateway}; true if the node applied it. */
    private boolean moves(String gateway) {
        long before = world.player(ana).orElseThrow().lastAppliedSeq();
        handle(new NodeInput.FromGateway(gateway, new ToNode.Input(ana,
                new ClientMessage.Input(++seq, new Vec2(1, 0), 0, null))));
        tickFor(TICK);
        return world.player(ana).orElseThrow().lastAppliedSeq() > before;
    }

    private boolean connected() {
        return world.player(ana).orElseThrow().connected();
    }

    /** Snapshots for the player sent to {@code gateway} during one more tick. */
    private long snapshotsTo(String gateway) {
        seen.clear();
        tickFor(TICK);
        return seen.stream().filter(e -> e instanceof NodeEffect.ToGatewayFrame f && f.gatewayId().equals(gateway)
                && f.frame() instanceof ToGateway.ToClient c && c.playerId().equals(ana) && c.tick() >= 0).count();
    }

    @Test
    void aLinkBackWithinTheGraceCostsNothing() {
        handle(new NodeInput.GatewayUnlinked("g1"));
        tickFor(JUST_UNDER_GRACE);
        handle(new NodeInput.GatewayLinked("g1", 11));
        tickFor(2 * NodeCore.GATEWAY_GRACE_NANOS);

        assertThat(connected()).isTrue();
        assertThat(moves("g1")).isTrue();
        assertThat(core.counters().gatewaysLapsed()).isZero();
        assertThat(core.counters().gatewayPlayersDisconnected()).isZero();
    }

    /**
     * What goes to a gateway while its link is down is lost, a cell_change with it: nothing is sent its way then, and
     * once the link is back each of its players is told its cell again, first.
     */
    @Test
    void nothingGoesToAGatewayWhileItsLinkIsDownAndItsPlayersAreToldTheirCellFirstWhenItIsBack() {
        handle(new NodeInput.GatewayUnlinked("g1"));
        assertThat(snapshotsTo("g1")).isZero();
        assertThat(core.counters().framesWhileUnlinked()).isPositive();

        seen.clear();
        handle(new NodeInput.GatewayLinked("g1", 11));
        tickFor(TICK);
        List<ToGateway.ToClient> frames = seen.stream().filter(e -> e instanceof NodeEffect.ToGatewayFrame f
                        && f.frame() instanceof ToGateway.ToClient c && c.playerId().equals(ana))
                .map(e -> (ToGateway.ToClient) ((NodeEffect.ToGatewayFrame) e).frame()).toList();
        assertThat(frames).isNotEmpty();
        String first = new String(frames.getFirst().json(), java.nio.charset.StandardCharsets.UTF_8);
        String cell = world.player(ana).orElseThrow().cell().cx() + ",\"cz\":" + world.player(ana).orElseThrow()
                .cell().cz();
        assertThat(first).startsWith("{\"type\":\"cell_change\"").contains("\"handover\":\"resync\"")
                .contains("\"to\":{\"cx\":" + cell);
        assertThat(frames.stream().skip(1).map(f -> new String(f.json(), java.nio.charset.StandardCharsets.UTF_8)))
                .as("said once").noneMatch(j -> j.contains("resync"));
    }

    @Test
    void aGatewayGoneForTheGraceHasItsPlayersDisconnectedAndTheyLeaveWhenTheirResumeWindowRunsOut() {
        handle(new NodeInput.GatewayUnlinked("g1"));
        tickFor(JUST_UNDER_GRACE);
        assertThat(connected()).as("still within the grace").isTrue();
        tickFor(2 * TICK);
        assertThat(connected()).as("past the grace").isFalse();
        assertThat(core.counters().gatewaysLapsed()).isEqualTo(1);
        assertThat(core.counters().gatewayPlayersDisconnected()).isEqualTo(1);

        tickFor(OneCellNode.SETTINGS.resumeWindowTicks() * TICK + SECOND);
        assertThat(world.player(ana)).as("its resume window ran out").isEmpty();
        assertThat(directory.owner(ana).toCompletableFuture().join()).as("its owner record is removed").isEmpty();
    }

    @Test
    void theSameStartComingBackAfterTheGraceHasItsPlayersConnectedAgain() {
        handle(new NodeInput.GatewayUnlinked("g1"));
        tickFor(NodeCore.GATEWAY_GRACE_NANOS + SECOND);
        assertThat(connected()).isFalse();

        handle(new NodeInput.GatewayLinked("g1", 11));

        assertThat(connected()).isTrue();
        assertThat(moves("g1")).isTrue();
        assertThat(snapshotsTo("g1")).isEqualTo(1);
        assertThat(core.counters().gatewayPlayersReconnected()).isEqualTo(1);
        tickFor(OneCellNode.SETTINGS.resumeWindowTicks() * TICK + SECOND);
        assertThat(world.player(ana)).as("no resume window runs for it any more").isPresent();
    }

    @Test
    void aNewStartOfTheGatewayDropsTheOldStartsConnectionsAndItsPlayersComeBackByAResume() {
        handle(new NodeInput.GatewayUnlinked("g1"));
        tickFor(SECOND); // kill -9 and a quick restart: back well within the grace, as another start
        handle(new NodeInput.GatewayLinked("g1", 12));

        assertThat(connected()).isFalse();
        assertThat(core.counters().gatewayRestarts()).isEqualTo(1);
        assertThat(snapshotsTo("g1")).as("nothing goes to a connection number the new start may give another")
                .isZero();
        assertThat(moves("g1")).as("an input for it from the new start, before a resume, is not its client's")
                .isFalse();

        // The client reconnects, to the new start or to another gateway, and resumes.
        handle(new NodeInput.FromGateway("g2", new ToNode.Attach(1, "ana", ana)));
        assertThat(connected()).isTrue();
        assertThat(moves("g2")).isTrue();
        assertThat(snapshotsTo("g2")).isEqualTo(1);
    }

    @Test
    void aPlayerThatResumedElsewhereIsNotTouchedWhenItsOldGatewayComesBack() {
        handle(new NodeInput.GatewayUnlinked("g1"));
        handle(new NodeInput.FromGateway("g2", new ToNode.Attach(1, "ana", ana))); // reconnected at once via g2
        tickFor(NodeCore.GATEWAY_GRACE_NANOS + SECOND);
        assertThat(connected()).as("g1 lapsed, but the player is g2's now").isTrue();

        handle(new NodeInput.GatewayLinked("g1", 12));
        assertThat(connected()).isTrue();
        assertThat(moves("g2")).isTrue();
        assertThat(core.counters().gatewayPlayersDisconnected()).isZero();
    }
}
