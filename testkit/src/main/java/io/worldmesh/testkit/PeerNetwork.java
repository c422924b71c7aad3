package io.worldmesh.testkit;

import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Handover requests between nodes as the HTTP client sees them: each call gets one outcome, its first reply or
 * "unreachable" at the request timeout, whichever comes first. Requests and replies may be dropped, duplicated
 * (the target handles a request twice; a reply's second copy finds its call answered) and delayed.
 */
final class PeerNetwork {

    /** A call as its caller's process numbers it. */
    private record Call(int caller, long callerLife, long callId) {
    }

    private final Scheduler scheduler;
    private final Latency latency;
    private final long timeoutNanos;
    private final SimStats stats;
    private final Set<Call> open = new HashSet<>();
    /** The transport's number of each delivered request, to find the call its reply answers. */
    private final Map<Long, Call> byRequest = new HashMap<>();
    private long nextRequest = 1;
    private Faults faults;

    PeerNetwork(Scheduler scheduler, Latency latency, Duration requestTimeout, Faults faults, SimStats stats) {
        this.scheduler = scheduler;
        this.latency = latency;
        this.timeoutNanos = requestTimeout.toNanos();
        this.faults = faults;
        this.stats = stats;
    }

    void faults(Faults f) {
        this.faults = f;
    }

    void call(int caller, long callerLife, long callId, int target, PeerRequest request) {
        Call call = new Call(caller, callerLife, callId);
        open.add(call);
        // The HTTP client's clock starts when the request leaves, a moment after the core asked for it: so a core
        // timer of the same length (the prepare timeout) fires first.
        scheduler.after(timeoutNanos + latency.draw(Duration.ZERO),
                new Event.PeerCallTimesOut(caller, callerLife, callId));
        int copies = copies();
        for (int i = 0; i < copies; i++) {
            long requestId = nextRequest++;
            byRequest.put(requestId, call);
            scheduler.after(delay(i), new Event.ToNode(target, NodeLives.ANY,
                    new NodeInput.FromPeer(requestId, request)));
        }
    }

    void reply(long requestId, PeerReply reply) {
        Call call = byRequest.remove(requestId);
        if (call == null) {
            return;
        }
        int copies = copies();
        for (int i = 0; i < copies; i++) {
            scheduler.after(delay(i), new Event.PeerReplyArrives(call.caller(), call.callerLife(), call.callId(),
                    reply));
        }
    }

    /** What the caller's core hears of a reply: the answer, or nothing when the call has its outcome already. */
    NodeInput answered(int caller, long callerLife, long callId, PeerReply reply) {
        return open.remove(new Call(caller, callerLife, callId)) ? new NodeInput.PeerAnswered(callId, reply) : null;
    }

    NodeInput timedOut(int caller, long callerLife, long callId) {
        return open.remove(new Call(caller, callerLife, callId))
                ? new NodeInput.PeerUnreachable(callId, "request timeout") : null;
    }

    private int copies() {
        if (latency.chance(faults.peerDrop())) {
            stats.peerDropped++;
            return 0;
        }
        if (latency.chance(faults.peerDuplicate())) {
            stats.peerDuplicated++;
            return 2;
        }
        return 1;
    }

    /** The delay of copy {@code copy}: a duplicate is a retransmission, so it comes later, as a straggler does. */
    private long delay(int copy) {
        long d = latency.draw(faults.peerDelayMax());
        if (copy > 0 || latency.chance(faults.stragglerRate())) {
            stats.stragglers++;
            d += latency.draw(faults.stragglerDelayMax());
        }
        return d;
    }
}
