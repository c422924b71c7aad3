package io.worldmesh.testkit;

import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated network: links keep their order, calls get one outcome, and faults do what they say. */
class NetworkTest {

    private static final long MS = 1_000_000L;

    private final Scheduler scheduler = new Scheduler();
    private final SimStats stats = new SimStats();

    private Latency latency(long seed) {
        return new Latency(new SplittableRandom(seed), Duration.ofMillis(1), Duration.ofMillis(2));
    }

    private List<Scheduler.Due> drain() {
        List<Scheduler.Due> out = new ArrayList<>();
        Scheduler.Due d;
        while ((d = scheduler.next(Long.MAX_VALUE)) != null) {
            out.add(d);
        }
        return out;
    }

    private static Faults faults(double drop, double duplicate, Duration delay) {
        return new Faults(drop, duplicate, delay, 0, Duration.ZERO, 0, 0, Duration.ZERO, delay, 0.1,
                Duration.ofMillis(300), 0, Duration.ZERO);
    }

    @Test
    void aLinkDeliversInTheOrderSentThoughEachFrameIsDelayedAtRandom() {
        GatewayLinks links = new GatewayLinks(scheduler, latency(7), "g1", 2,
                faults(0, 0, Duration.ofMillis(100)));
        for (int seq = 1; seq <= 200; seq++) {
            links.toNode(0, new ToNode.Echo(seq));
            links.toNode(1, new ToNode.Echo(1000 + seq));
        }
        List<Long> toFirst = new ArrayList<>();
        List<Long> toSecond = new ArrayList<>();
        long last = 0;
        boolean overtaken = false;
        for (Scheduler.Due d : drain()) {
            assertThat(d.atNanos()).isGreaterThanOrEqualTo(last);
            last = d.atNanos();
            if (d.event() instanceof Event.LinkToNode n && n.input() instanceof NodeInput.FromGateway g
                    && g.frame() instanceof ToNode.Echo e) {
                (n.node() == 0 ? toFirst : toSecond).add(e.id());
                overtaken |= n.node() == 0 && !toSecond.isEmpty() && e.id() < toSecond.getLast() - 1000;
            }
        }
        assertThat(toFirst).hasSize(200).isSorted();
        assertThat(toSecond).hasSize(200).isSorted();
        assertThat(overtaken).as("frames on different links are not ordered against each other").isTrue();
    }

    @Test
    void aDroppedRequestEndsInUnreachableAtTheRequestTimeout() {
        PeerNetwork peers = new PeerNetwork(scheduler, latency(1), Duration.ofMillis(600), faults(1, 0,
                Duration.ZERO), stats);
        peers.call(0, 0, 42, 1, new PeerRequest.Abort("p1", "t1"));
        List<Scheduler.Due> due = drain();
        assertThat(due).singleElement().satisfies(d -> {
            assertThat(d.atNanos()).as("the timeout, from when the request left").isBetween(601 * MS, 602 * MS);
            Event.PeerCallTimesOut t = (Event.PeerCallTimesOut) d.event();
            assertThat(peers.timedOut(t.caller(), t.callerLife(), t.callId())).isEqualTo(new NodeInput.PeerUnreachable(42,
                    "request timeout"));
        });
        assertThat(stats.peerDropped).isEqualTo(1);
    }

    @Test
    void aCallHasOneOutcomeTheFirstToArrive() {
        PeerNetwork peers = new PeerNetwork(scheduler, latency(2), Duration.ofMillis(600), faults(0, 1,
                Duration.ZERO), stats);
        peers.call(0, 0, 42, 1, new PeerRequest.Abort("p1", "t1"));
        List<Long> requestIds = drain().stream().filter(d -> d.event() instanceof Event.ToNode)
                .map(d -> ((NodeInput.FromPeer) ((Event.ToNode) d.event()).input()).requestId()).toList();
        assertThat(requestIds).as("duplicated: the target handles it twice").hasSize(2);
        requestIds.forEach(id -> peers.reply(id, new PeerReply.Aborted("t1")));
        List<NodeInput> heard = new ArrayList<>();
        for (Scheduler.Due d : drain()) {
            if (d.event() instanceof Event.PeerReplyArrives r) {
                NodeInput in = peers.answered(r.caller(), r.callerLife(), r.callId(), r.reply());
                if (in != null) {
                    heard.add(in);
                }
            }
        }
        assertThat(heard).containsExactly(new NodeInput.PeerAnswered(42, new PeerReply.Aborted("t1")));
        assertThat(peers.timedOut(0, 0, 42)).as("answered: its timeout changes nothing").isNull();
    }

    @Test
    void aReplyLaterThanTheTimeoutIsNotHeard() {
        PeerNetwork peers = new PeerNetwork(scheduler, latency(3), Duration.ofMillis(10), faults(0, 0,
                Duration.ofMillis(500)), stats);
        peers.call(0, 0, 42, 1, new PeerRequest.Abort("p1", "t1"));
        List<Scheduler.Due> first = new ArrayList<>();
        Scheduler.Due d;
        while ((d = scheduler.next(Long.MAX_VALUE)) != null) {
            first.add(d);
            if (d.event() instanceof Event.ToNode n) {
                peers.reply(((NodeInput.FromPeer) n.input()).requestId(), new PeerReply.Aborted("t1"));
            }
        }
        Event.PeerCallTimesOut timeout = (Event.PeerCallTimesOut) first.get(0).event();
        assertThat(peers.timedOut(timeout.caller(), timeout.callerLife(), timeout.callId())).isNotNull();
        Event.PeerReplyArrives late = (Event.PeerReplyArrives) first.getLast().event();
        assertThat(peers.answered(late.caller(), late.callerLife(), late.callId(), late.reply())).isNull();
    }

    @Test
    void aLinkThatDropsLosesWhatIsOnItAndCarriesNothingUntilReopened() {
        GatewayLinks links = new GatewayLinks(scheduler, latency(8), "g1", 1, faults(0, 0, Duration.ofMillis(50)));
        links.toNode(0, new ToNode.Echo(1));
        long first = links.link(0);
        links.down(0);
        links.toNode(0, new ToNode.Echo(2));
        links.toGateway(0, new io.worldmesh.protocol.link.ToGateway.EchoReply(2));
        List<Scheduler.Due> sent = drain();
        assertThat(sent).as("only the frame sent before the drop is scheduled").hasSize(1);
        Event.LinkToNode before = (Event.LinkToNode) sent.get(0).event();
        assertThat(links.carries(0, before.link())).as("lost with its link").isFalse();
        links.reopened(0);
        assertThat(links.link(0)).isNotEqualTo(first);
        assertThat(links.carries(0, before.link())).as("a new link does not carry the old one's frames").isFalse();
        links.toNode(0, new ToNode.Echo(3));
        Event.LinkToNode after = (Event.LinkToNode) drain().get(0).event();
        assertThat(links.carries(0, after.link())).isTrue();
    }
}
