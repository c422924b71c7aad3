package io.worldmesh.testkit;

import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.node.core.DirectoryOp;
import io.worldmesh.node.core.NodeInput;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The directory behind the simulated network: applied on arrival, answered later, or lost either way. */
class SimDirectoryTest {

    private static final long MS = 1_000_000L;

    private final Scheduler scheduler = new Scheduler();
    private final SimStats stats = new SimStats();

    private SimDirectory directory(double lostRequest, double lostReply) {
        return new SimDirectory(scheduler, new Latency(new SplittableRandom(5), Duration.ofMillis(1),
                Duration.ofMillis(2)), Duration.ofMillis(250), new Faults(0, 0, Duration.ZERO, 0, Duration.ZERO,
                lostRequest, lostReply, Duration.ofMillis(20), Duration.ZERO, 0, Duration.ZERO, 0, Duration.ZERO), stats);
    }

    /** Runs every event; the directory's own arrivals are applied. Returns what reached node 0. */
    private List<NodeInput> run(SimDirectory d) {
        List<NodeInput> out = new ArrayList<>();
        Scheduler.Due due;
        while ((due = scheduler.next(Long.MAX_VALUE)) != null) {
            switch (due.event()) {
                case Event.DirectoryReceives r -> d.apply(r.call());
                case Event.ToNode n -> {
                    assertThat(due.atNanos()).isLessThanOrEqualTo(250 * MS);
                    out.add(n.input());
                }
                default -> throw new AssertionError(due.event());
            }
        }
        return out;
    }

    private static Optional<OwnerRecord> owner(SimDirectory d) {
        return d.directory().owner("p1").toCompletableFuture().join();
    }

    @Test
    void aCallIsAppliedOnArrivalAndAnsweredAfterTheWayBack() {
        SimDirectory d = directory(0, 0);
        d.call(0, 0, 9, new DirectoryOp.CreatePlayer("p1", "n1", new byte[] {1}));
        assertThat(owner(d)).as("still on its way").isEmpty();
        assertThat(run(d)).containsExactly(new NodeInput.DirectoryAnswered(9,
                new CreateOutcome.Created(new OwnerRecord("n1", 1))));
        assertThat(owner(d)).contains(new OwnerRecord("n1", 1));
    }

    @Test
    void aLostRequestIsNeverAppliedAndTheCallerTimesOut() {
        SimDirectory d = directory(1, 0);
        d.call(0, 0, 9, new DirectoryOp.CreatePlayer("p1", "n1", new byte[] {1}));
        assertThat(run(d)).containsExactly(new NodeInput.DirectoryFailed(9, "directory timeout"));
        assertThat(owner(d)).isEmpty();
        assertThat(stats.directoryFailures).isEqualTo(1);
    }

    @Test
    void aLostReplyWasAppliedThoughTheCallerTimesOut() {
        SimDirectory d = directory(0, 1);
        d.call(0, 0, 9, new DirectoryOp.CreatePlayer("p1", "n1", new byte[] {1}));
        assertThat(run(d)).containsExactly(new NodeInput.DirectoryFailed(9, "directory timeout"));
        assertThat(owner(d)).contains(new OwnerRecord("n1", 1));
    }

    @Test
    void whileDownACallThatArrivesIsLostAndItsCallerTimesOut() {
        SimDirectory d = directory(0, 0);
        d.down(true);
        d.call(0, 0, 9, new DirectoryOp.CreatePlayer("p1", "n1", new byte[] {1}));
        assertThat(run(d)).containsExactly(new NodeInput.DirectoryFailed(9, "directory timeout"));
        assertThat(owner(d)).as("never applied").isEmpty();
        assertThat(stats.directoryFailures).isEqualTo(1);
    }
}
