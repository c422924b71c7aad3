package io.worldmesh.node.core;

import io.worldmesh.directory.CheckpointOutcome;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.NodeCut;
import io.worldmesh.directory.OwnerRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A commit waits for a cut at or after the game state version of its moment (one in flight at a time, the next
 * covering all that asked meanwhile); removals ride the next cut and come back when it fails.
 */
class CutScheduleTest {

    private static final long SECOND = 1_000_000_000L;
    private static final CheckpointOutcome WRITTEN = new CheckpointOutcome(0, List.of());

    private final CutSchedule cuts = new CutSchedule(SECOND, 2, 2);

    private static HandoverCommit commit(String token) {
        return new HandoverCommit("p-" + token, token, new OwnerRecord("n1", 1), "n2", new byte[]{1});
    }

    @Test
    void aCommitWaitsForACutTakenAtOrAfterItsVersionAndNotForOneTakenBefore() {
        assertThat(cuts.covers(0)).as("nothing is covered before the first cut").isFalse();
        assertThat(cuts.due(0)).isTrue();
        cuts.started(5, 0); // a cut of version 5 is on its way...
        assertThat(cuts.hold(commit("a"), 7)).isTrue(); // ...when a commit at version 7 comes
        assertThat(cuts.due(0)).as("one cut in flight at a time").isFalse();
        assertThat(cuts.written(WRITTEN)).as("version 5 does not cover 7").isEmpty();
        assertThat(cuts.covers(5)).isTrue();
        assertThat(cuts.due(1)).as("the waiting commit makes a cut due before the interval").isTrue();
        assertThat(cuts.hold(commit("b"), 8)).isTrue();
        cuts.started(8, 1);
        assertThat(cuts.written(WRITTEN)).extracting(HandoverCommit::token).containsExactly("a", "b");
        assertThat(cuts.waitingCommits()).isZero();
        assertThat(cuts.due(2)).as("nothing waits: the next cut a second after the last").isFalse();
        assertThat(cuts.due(SECOND + 1)).isTrue();
    }

    @Test
    void aCutOfATakenOverIncarnationCoversNothing() {
        cuts.hold(commit("a"), 3);
        cuts.started(3, 0);
        assertThat(cuts.written(CheckpointOutcome.refusedWhole())).isEmpty();
        assertThat(cuts.covers(3)).isFalse();
    }

    @Test
    void pastItsBoundACommitIsNotHeld() {
        assertThat(cuts.hold(commit("a"), 1)).isTrue();
        assertThat(cuts.hold(commit("b"), 1)).isTrue();
        assertThat(cuts.hold(commit("c"), 1)).isFalse();
    }

    @Test
    void removalsRideTheNextCutAndComeBackWhenItFails() {
        NodeCut.Removal ana = new NodeCut.Removal("ana", 1);
        NodeCut.Removal bo = new NodeCut.Removal("bo", 2);
        cuts.started(0, 0);
        cuts.written(WRITTEN);
        assertThat(cuts.remove(ana)).isTrue();
        assertThat(cuts.due(1)).as("a removal makes a cut due").isTrue();
        assertThat(cuts.started(1, 1)).containsExactly(ana);
        assertThat(cuts.remove(bo)).isTrue();
        cuts.failed(2);
        assertThat(cuts.due(3)).as("not at once after a failure").isFalse();
        assertThat(cuts.due(2 + CutSchedule.RETRY_NANOS)).isTrue();
        assertThat(cuts.started(1, 2 + CutSchedule.RETRY_NANOS)).containsExactly(ana, bo);
        assertThat(cuts.remove(new NodeCut.Removal("c", 1))).isTrue();
        assertThat(cuts.remove(new NodeCut.Removal("d", 1))).isTrue();
        assertThat(cuts.remove(new NodeCut.Removal("e", 1))).as("past the bound the oldest is given up").isFalse();
        assertThat(cuts.takeRemovals()).extracting(NodeCut.Removal::playerId).containsExactly("d", "e");
    }
}
