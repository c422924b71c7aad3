package io.worldmesh.testkit;

import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.node.core.DirectoryOp;
import io.worldmesh.node.core.NodeInput;

import java.time.Duration;
import java.util.Optional;

/**
 * The real {@link InMemoryDirectory} behind a simulated network, its leases running out on the virtual clock. It is linearizable: a call takes effect when it
 * arrives, and its answer travels back afterwards. A lost request never takes effect; a lost reply has taken
 * effect; either way, and for an answer later than the timeout, the caller hears a failure at its timeout, as a
 * Redis client would. While it is down (an outage), every call that reaches it is lost: its caller times out.
 */
final class SimDirectory {

    /** The caller number of the gateway's own lookups. */
    static final int GATEWAY = -1;

    private final InMemoryDirectory directory;
    private final Scheduler scheduler;
    private final Latency latency;
    private final long timeoutNanos;
    private final SimStats stats;
    private Faults faults;
    private boolean down;

    SimDirectory(Scheduler scheduler, Latency latency, Duration timeout, Faults faults, SimStats stats) {
        this.scheduler = scheduler;
        this.directory = new InMemoryDirectory(() -> scheduler.now() / 1_000_000); // leases run on virtual time
        this.latency = latency;
        this.timeoutNanos = timeout.toNanos();
        this.faults = faults;
        this.stats = stats;
    }

    InMemoryDirectory directory() {
        return directory;
    }

    void faults(Faults f) {
        this.faults = f;
    }

    boolean down() {
        return down;
    }

    /** The directory goes down (true) or is back (false). */
    void down(boolean isDown) {
        this.down = isDown;
    }

    /** Sends a call; its answer or failure comes back as an event. */
    void call(int caller, long callerLife, long opId, DirectoryOp op) {
        long there = latency.draw(faults.directoryDelayMax());
        long back = latency.draw(faults.directoryDelayMax());
        double fate = latency.random().nextDouble();
        boolean lostRequest = fate < faults.directoryLostRequest();
        boolean lostReply = !lostRequest && fate < faults.directoryLostRequest() + faults.directoryLostReply();
        boolean answered = !lostRequest && !lostReply && there + back <= timeoutNanos;
        long now = scheduler.now();
        DirectoryCall call = new DirectoryCall(caller, callerLife, opId, op, answered ? now + there + back : -1,
                now + timeoutNanos);
        if (!lostRequest) {
            scheduler.at(now + there, new Event.DirectoryReceives(call));
        }
        if (!answered) {
            timesOut(call);
        }
    }

    /**
     * The call has arrived: apply it now and send the answer on its way. Returns the directory's answer, or null when
     * the directory is down and the call is lost.
     */
    Object apply(DirectoryCall call) {
        if (down) {
            if (call.answerAtNanos() >= 0) {
                timesOut(call);
            }
            return null;
        }
        Object result = call.op().run(directory).toCompletableFuture().join();
        if (call.answerAtNanos() >= 0) {
            scheduler.at(call.answerAtNanos(), call.caller() == GATEWAY
                    ? toGateway(call, result)
                    : new Event.ToNode(call.caller(), call.callerLife(),
                            new NodeInput.DirectoryAnswered(call.opId(), result)));
        }
        return result;
    }

    private void timesOut(DirectoryCall call) {
        stats.directoryFailures++;
        scheduler.at(call.timeoutAtNanos(), call.caller() == GATEWAY
                ? (call.op() instanceof DirectoryOp.ReadAssignment ? new Event.AssignmentRead(call.callerLife(), null)
                        : new Event.OwnerLookedUp(call.callerLife(), call.opId(), null, false))
                : new Event.ToNode(call.caller(), call.callerLife(),
                        new NodeInput.DirectoryFailed(call.opId(), "directory timeout")));
    }

    @SuppressWarnings("unchecked")
    private static Event toGateway(DirectoryCall call, Object result) {
        if (call.op() instanceof DirectoryOp.ReadAssignment) {
            return new Event.AssignmentRead(call.callerLife(), ((Optional<CellAssignment>) result).orElse(null));
        }
        return new Event.OwnerLookedUp(call.callerLife(), call.opId(), ownerNode(result), true);
    }

    @SuppressWarnings("unchecked")
    private static String ownerNode(Object result) {
        return ((Optional<OwnerRecord>) result).map(OwnerRecord::node).orElse(null);
    }
}
