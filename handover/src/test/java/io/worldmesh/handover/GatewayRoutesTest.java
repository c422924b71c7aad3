package io.worldmesh.handover;

import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's route switch: epochs, holding, replay after a switch or an abort, bounds. */
class GatewayRoutesTest {

    private final GatewayRoutes routes = new GatewayRoutes(8);

    private static ClientMessage.Input input(long seq) {
        return new ClientMessage.Input(seq, new Vec2(1, 0), 0, null);
    }

    private static List<Long> forwardedSeqs(List<RouteEffect> effects, String node) {
        return effects.stream().filter(e -> e instanceof RouteEffect.Forward f && f.node().equals(node))
                .map(e -> ((RouteEffect.Forward) e).input().seq()).toList();
    }

    @Test
    void inputsGoToTheOwnerAndAreKeptUntilASnapshotCoversThem() {
        routes.bind("p1", 7, "n1", 1, 0);
        assertThat(forwardedSeqs(routes.onInput("p1", input(1)), "n1")).containsExactly(1L);
        routes.onInput("p1", input(2));
        assertThat(routes.placement("p1").orElseThrow().buffered()).isEqualTo(2);
        routes.onApplied("p1", "n1", 1);
        assertThat(routes.placement("p1").orElseThrow().buffered()).isEqualTo(1);
        routes.onApplied("p1", "n9", 2); // not the owner: ignored
        assertThat(routes.placement("p1").orElseThrow().buffered()).isEqualTo(1);
    }

    @Test
    void aNodesReturnAuditsItsPlayersTheHeldOnesAndThoseFoundOwnedElsewhere() {
        routes.bind("p1", 1, "n1", 1, 0); // routed to the node whose link returns
        routes.bind("p2", 2, "n2", 1, 0); // held on another node: its ROUTE may come from the returning one
        routes.onHold("n2", "p2", 1);
        routes.bind("p3", 3, "n2", 1, 0); // an audit found another owner: its ROUTE is still to come
        routes.onOwnerElsewhere("p3", "n2");
        routes.bind("p4", 4, "n2", 1, 0); // on another node, nothing amiss: not asked about
        routes.bind("p5", 5, "n1", 1, 0);
        routes.onDisconnected("p5", 5); // no client here: nobody to tell
        routes.onOwnerElsewhere("p4", "n9"); // an audit of a route it no longer has: changes nothing
        assertThat(routes.toAuditOnLinkUp("n1")).containsExactly(new GatewayRoutes.Routed("p1", "n1"),
                new GatewayRoutes.Routed("p2", "n2"), new GatewayRoutes.Routed("p3", "n2"));
        routes.onRoute("n3", "p3", 2, 0); // the owner's ROUTE arrived: nothing to suspect any more
        routes.onRoute("n3", "p2", 2, 0);
        assertThat(routes.toAuditOnLinkUp("n1")).containsExactly(new GatewayRoutes.Routed("p1", "n1"));
    }

    @Test
    void aRouteWhoseNodeSentNothingSinceTheLastSweepIsAudited() {
        routes.bind("p1", 1, "n1", 1, 0);
        routes.bind("p2", 2, "n1", 1, 0);
        assertThat(routes.toAuditWhenSilent()).as("new routes are given a whole period").isEmpty();
        routes.onApplied("p1", "n1", 0); // a snapshot of p1 from its node
        routes.onApplied("p2", "n2", 0); // of p2, but from a node its route does not name
        assertThat(routes.toAuditWhenSilent()).containsExactly(new GatewayRoutes.Routed("p2", "n1"));
        assertThat(routes.toAuditWhenSilent()).as("silent again, asked again").containsExactly(
                new GatewayRoutes.Routed("p1", "n1"), new GatewayRoutes.Routed("p2", "n1"));
        routes.onRoute("n2", "p2", 2, 0); // switched: heard from its new owner
        routes.onApplied("p1", "n1", 3);
        assertThat(routes.toAuditWhenSilent()).isEmpty();
    }

    @Test
    void aSwitchReplaysEveryKeptInputAboveTheHandedOverSeqInOrder() {
        routes.bind("p1", 7, "n1", 3, 0);
        routes.onInput("p1", input(1));
        routes.onInput("p1", input(2));
        routes.onHold("n1", "p1", 3);
        assertThat(routes.onInput("p1", input(3))).isEmpty(); // held
        routes.onInput("p1", input(4));
        List<RouteEffect> out = routes.onRoute("n2", "p1", 4, 1);
        assertThat(out.get(0)).as("names the connection").isEqualTo(new RouteEffect.Ack("n2", "p1", 4, 7));
        assertThat(forwardedSeqs(out, "n2")).containsExactly(2L, 3L, 4L);
        assertThat(forwardedSeqs(out, "n1")).isEmpty();
        assertThat(routes.isRoutedTo("p1", "n2")).isTrue();
        assertThat(forwardedSeqs(routes.onInput("p1", input(5)), "n2")).containsExactly(5L);
    }

    @Test
    void aRouteAtAnOlderOrEqualEpochIsAckedButIgnored() {
        routes.bind("p1", 7, "n1", 3, 0);
        routes.onRoute("n2", "p1", 4, 0);
        List<RouteEffect> stale = routes.onRoute("n1", "p1", 4, 0);
        assertThat(stale).as("not n1's client any more").containsExactly(new RouteEffect.Ack("n1", "p1", 4));
        assertThat(routes.onRoute("n3", "p1", 2, 0)).containsExactly(new RouteEffect.Ack("n3", "p1", 2));
        assertThat(routes.onRoute("n2", "p1", 4, 0)).as("a repeat from the owner names the connection")
                .containsExactly(new RouteEffect.Ack("n2", "p1", 4, 7));
        assertThat(routes.onRoute("n9", "p2", 1, 0)).as("a player this gateway never had")
                .containsExactly(new RouteEffect.Ack("n9", "p2", 1, -1));
        assertThat(routes.isRoutedTo("p1", "n2")).isTrue();
    }

    @Test
    void anAbortReplaysToTheSourceWhatItHasNotApplied() {
        routes.bind("p1", 7, "n1", 3, 0);
        routes.onInput("p1", input(1));
        routes.onHold("n1", "p1", 3);
        routes.onInput("p1", input(2));
        List<RouteEffect> out = routes.onRelease("n1", "p1", 3, 0);
        assertThat(forwardedSeqs(out, "n1")).containsExactly(1L, 2L);
        assertThat(routes.placement("p1").orElseThrow().held()).isFalse();
        assertThat(routes.onRelease("n1", "p1", 2, 0)).isEmpty(); // another epoch's release
    }

    @Test
    void aHoldFromANodeThatIsNotTheOwnerIsIgnored() {
        routes.bind("p1", 7, "n1", 3, 0);
        routes.onHold("n2", "p1", 3);
        routes.onHold("n1", "p1", 2);
        assertThat(routes.placement("p1").orElseThrow().held()).isFalse();
    }

    @Test
    void theBufferIsBoundedAndRefusesPastIt() {
        routes.bind("p1", 7, "n1", 1, 0);
        routes.onHold("n1", "p1", 1);
        for (int seq = 1; seq <= 8; seq++) {
            assertThat(routes.onInput("p1", input(seq))).isEmpty();
        }
        List<RouteEffect> refused = routes.onInput("p1", input(9));
        assertThat(refused).singleElement().isInstanceOf(RouteEffect.Refuse.class);
        assertThat(routes.placement("p1").orElseThrow().buffered()).isEqualTo(8);
    }

    @Test
    void aClientThatLeavesDuringAHandoverIsDetachedOnTheNewOwner() {
        routes.bind("p1", 7, "n1", 3, 0);
        routes.onHold("n1", "p1", 3);
        assertThat(routes.onDisconnected("p1", 7)).contains(new RouteEffect.Detach("n1", "p1", 7));
        List<RouteEffect> out = routes.onRoute("n2", "p1", 4, 0);
        assertThat(out).containsExactly(new RouteEffect.Ack("n2", "p1", 4), new RouteEffect.Detach("n2", "p1", 7));
        assertThat(routes.placement("p1")).contains(new GatewayRoutes.Placement("n2", 4, false, 0));
        assertThat(routes.onInput("p1", input(1))).singleElement().isInstanceOf(RouteEffect.Refuse.class);
    }

    @Test
    void aPlayerGoneFromItsNodeLosesItsRouteOnlyIfThatNodeRoutesItThereToThatConnection() {
        routes.bind("p1", 7, "n1", 3, 0);
        assertThat(routes.onGone("n2", "p1", 3, 7)).as("another node").isEmpty();
        assertThat(routes.onGone("n1", "p1", 2, 7)).as("a newer route than the one gone").isEmpty();
        assertThat(routes.onGone("n1", "p1", 3, 8)).as("another connection").isEmpty();
        assertThat(routes.placement("p1")).isPresent();
        assertThat(routes.onGone("n1", "p1", 3, 7)).hasValue(7);
        assertThat(routes.placement("p1")).isEmpty();
        assertThat(routes.onGone("n1", "p1", 3, 7)).as("once").isEmpty();

        routes.bind("p2", 9, "n1", 1, 0); // a stale route, to the node's earlier incarnation
        assertThat(routes.onGone("n1", "p2", 2, -1)).as("any connection, up to that epoch").hasValue(9);
        routes.bind("p3", 4, "n1", 1, 0);
        routes.onDisconnected("p3", 4);
        assertThat(routes.onGone("n1", "p3", 1, -1)).as("forgotten, no client to close").isEmpty();
        assertThat(routes.placement("p3")).isEmpty();
    }

    @Test
    void aNodeThatRefusesAResumeLosesTheRouteSoThatTheNextTryAsksTheDirectory() {
        routes.bind("p1", 7, "n1", 3, 0);
        routes.onResumeRefused("n2", "p1");
        assertThat(routes.placement("p1")).as("routed elsewhere: kept").isPresent();
        routes.onResumeRefused("n1", "p1");
        assertThat(routes.placement("p1")).isEmpty();
    }

    @Test
    void aClientGoneBeforeTheHoldArrivedIsStillDetachedOnTheNewOwner() {
        routes.bind("p1", 7, "n1", 3, 0);
        assertThat(routes.onDisconnected("p1", 7)).contains(new RouteEffect.Detach("n1", "p1", 7));
        routes.onHold("n1", "p1", 3); // n1 froze the player before the detach reached it
        assertThat(routes.onRoute("n2", "p1", 4, 0))
                .containsExactly(new RouteEffect.Ack("n2", "p1", 4), new RouteEffect.Detach("n2", "p1", 7));
    }

    @Test
    void aResumeAnsweredByTheOldOwnerAfterTheSwitchIsAttachedWhereThePlayerIsNow() {
        routes.bind("p1", 7, "n1", 3, 0);
        routes.onHold("n1", "p1", 3);
        routes.onDisconnected("p1", 7);
        routes.onRoute("n2", "p1", 4, 5); // the target's ROUTE overtook the source's answer to the resume
        assertThat(routes.bind("p1", 8, "n1", 3, 5)).as("n1 answered at its old epoch").contains("n2");
        assertThat(routes.placement("p1")).contains(new GatewayRoutes.Placement("n2", 4, false, 0));
        assertThat(routes.bind("p1", 8, "n2", 4, 5)).isEmpty();
        assertThat(forwardedSeqs(routes.onInput("p1", input(6)), "n2")).containsExactly(6L);
    }

    @Test
    void aRouteForAPlayerWithNoClientHereYetSendsALaterResumeOnToItsNewOwner() {
        assertThat(routes.onRoute("n2", "p1", 4, 5)).containsExactly(new RouteEffect.Ack("n2", "p1", 4, -1));
        assertThat(routes.bind("p1", 8, "n1", 3, 5)).as("the old owner's answer to a resume").contains("n2");
        assertThat(routes.bind("p1", 8, "n2", 4, 5)).isEmpty();
        assertThat(routes.placement("p1")).contains(new GatewayRoutes.Placement("n2", 4, false, 0));
    }

    @Test
    void goneClientsRoutesAreForgottenOldestFirstPastTheirBound() {
        GatewayRoutes small = new GatewayRoutes(8, 2);
        for (int i = 1; i <= 3; i++) {
            small.bind("p" + i, i, "n1", 1, 0);
            small.onDisconnected("p" + i, i);
        }
        small.bind("p4", 4, "n1", 1, 0);
        assertThat(small.placement("p1")).isEmpty();
        assertThat(small.placement("p2")).isPresent();
        assertThat(small.placement("p3")).isPresent();
        assertThat(small.placement("p4")).isPresent();
    }

    @Test
    void aClientThatLeavesDuringAHandoverThatAbortsGetsNothingReplayed() {
        routes.bind("p1", 7, "n1", 3, 0);
        routes.onInput("p1", input(1));
        routes.onHold("n1", "p1", 3);
        routes.onDisconnected("p1", 7);
        assertThat(routes.onRelease("n1", "p1", 3, 0)).isEmpty();
        assertThat(routes.placement("p1").orElseThrow().held()).isFalse(); // kept, bounded, to fence late answers
    }

    @Test
    void aLateCloseOfAnOldConnectionIsIgnored() {
        routes.bind("p1", 8, "n1", 1, 0);
        assertThat(routes.onDisconnected("p1", 7)).isEmpty();
        assertThat(routes.placement("p1")).isPresent();
    }

    @Test
    void inputsForAnUnknownPlayerAreRefused() {
        assertThat(routes.onInput("ghost", input(1))).singleElement().isInstanceOf(RouteEffect.Refuse.class);
    }

    /**
     * A link that dropped and came back: what went on it meanwhile may be lost, so the kept inputs of the players
     * routed to that node go again, in order, and gone clients are detached again; other nodes' players and held
     * players are left alone.
     */
    @Test
    void aLinkUpAgainSendsTheKeptInputsAndDetachesOfThatNodesPlayersAgain() {
        routes.bind("p1", 1, "n1", 1, 0);
        routes.bind("p2", 2, "n2", 1, 0);
        routes.bind("p3", 3, "n1", 1, 0);
        routes.bind("p4", 4, "n1", 1, 0);
        routes.onInput("p1", input(1));
        routes.onInput("p1", input(2));
        routes.onInput("p1", input(3));
        routes.onApplied("p1", "n1", 1);
        routes.onInput("p2", input(1));
        routes.onInput("p3", input(1));
        routes.onHold("n1", "p3", 1);
        routes.onDisconnected("p4", 4);

        List<RouteEffect> out = routes.onLinkUp("n1");

        assertThat(forwardedSeqs(out, "n1")).containsExactly(2L, 3L);
        assertThat(out).filteredOn(e -> e instanceof RouteEffect.Forward f && !f.playerId().equals("p1")).isEmpty();
        assertThat(out).filteredOn(e -> e instanceof RouteEffect.Detach)
                .containsExactly(new RouteEffect.Detach("n1", "p4", 4));
        assertThat(routes.placement("p1").orElseThrow().buffered()).as("still kept until a snapshot covers them")
                .isEqualTo(2);
        assertThat(routes.onLinkUp("n3")).isEmpty();
    }

    /**
     * While a node's link is down nothing is forwarded to it, not even a switch's replay: an input forwarded on the
     * link the moment it is back could reach the node before the replay, which the node would then drop as stale.
     */
    @Test
    void whileALinkIsDownInputsAreKeptAndItsReturnReplaysThemAllInOrder() {
        routes.bind("p1", 1, "n1", 1, 0);
        routes.bind("p2", 2, "n2", 1, 0);
        routes.onInput("p1", input(1));
        routes.onLinkDown("n1");
        assertThat(routes.onInput("p1", input(2))).as("kept, not forwarded").isEmpty();
        assertThat(routes.onInput("p1", input(3))).isEmpty();
        assertThat(forwardedSeqs(routes.onInput("p2", input(1)), "n2")).as("other nodes' links are up")
                .containsExactly(1L);
        routes.onHold("n2", "p2", 1);
        routes.onInput("p2", input(2));
        assertThat(routes.onRoute("n1", "p2", 2, 1)).as("a switch to a node whose link is down only ACKs")
                .noneMatch(e -> e instanceof RouteEffect.Forward);

        List<RouteEffect> back = routes.onLinkUp("n1");

        assertThat(forwardedSeqs(back.stream().filter(e -> e instanceof RouteEffect.Forward f
                && f.playerId().equals("p1")).toList(), "n1")).containsExactly(1L, 2L, 3L);
        assertThat(forwardedSeqs(back.stream().filter(e -> e instanceof RouteEffect.Forward f
                && f.playerId().equals("p2")).toList(), "n1")).as("the switch's replay").containsExactly(2L);
        assertThat(forwardedSeqs(routes.onInput("p1", input(4)), "n1")).containsExactly(4L);
    }
}
