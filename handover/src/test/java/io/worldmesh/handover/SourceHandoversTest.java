package io.worldmesh.handover;

import io.worldmesh.directory.CommitOutcome;
import io.worldmesh.directory.Decision;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.PlayerStateCodec;
import io.worldmesh.protocol.handover.RejectReason;
import io.worldmesh.protocol.handover.StateDecoded;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.worldmesh.handover.Fixtures.MS;
import static io.worldmesh.handover.Fixtures.has;
import static io.worldmesh.handover.Fixtures.only;
import static io.worldmesh.handover.Fixtures.prepare;
import static io.worldmesh.handover.Fixtures.timer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The source side, one test per row of its part of the failure table in docs/handover.md. */
class SourceHandoversTest {

    private final SourceHandovers source = new SourceHandovers("n1", Fixtures.SETTINGS);

    private List<HandoverEffect> started() {
        return source.start(prepare("t1"), 0);
    }

    private List<HandoverEffect> reserved() {
        started();
        return source.onReply("t1", new PeerReply.Reserved("t1"), 2 * MS);
    }

    @Test
    void startHoldsInputsSendsPrepareAndArmsThePrepareTimeout() {
        List<HandoverEffect> out = started();
        assertThat(only(out, HandoverEffect.HoldInputs.class)).isEqualTo(new HandoverEffect.HoldInputs("g1", "p1", 3));
        assertThat(only(out, HandoverEffect.Send.class).request()).isEqualTo(prepare("t1"));
        assertThat(only(out, HandoverEffect.SetTimer.class).atNanos()).isEqualTo(5_000 * MS);
        assertThat(source.isHandingOver("p1")).isTrue();
    }

    @Test
    void aPlayerCannotBeHandedOverTwiceAtOnce() {
        started();
        assertThatThrownBy(() -> source.start(prepare("t2"), 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reservedRunsTheCommitWithTheFrozenStateAtTheNextEpoch() {
        HandoverEffect.CommitInDirectory c = only(reserved(), HandoverEffect.CommitInDirectory.class);
        assertThat(c.commit().expected()).isEqualTo(new OwnerRecord("n1", 3));
        assertThat(c.commit().target()).isEqualTo("n2");
        StateDecoded d = PlayerStateCodec.decode(c.commit().state());
        assertThat(((StateDecoded.Ok) d).state()).isEqualTo(Fixtures.state(42).atEpoch(4));
    }

    @Test
    void happyPathCommitsConfirmsDepartsAndEndsOnCleanup() {
        reserved();
        List<HandoverEffect> committed = source.onCommitOutcome("t1",
                new CommitOutcome.Committed(new OwnerRecord("n2", 4)), 3 * MS);
        assertThat(only(committed, HandoverEffect.Send.class).request())
                .isEqualTo(new PeerRequest.Commit("p1", "t1", 4));
        assertThat(has(committed, HandoverEffect.Depart.class)).isFalse(); // not before CONFIRMED
        List<HandoverEffect> confirmed = source.onReply("t1", new PeerReply.Confirmed("t1", 4), 4 * MS);
        assertThat(only(confirmed, HandoverEffect.Depart.class).playerId()).isEqualTo("p1");
        assertThat(source.isHandingOver("p1")).isFalse();
        List<HandoverEffect> cleaned = source.onCleanup(9, new PeerRequest.Cleanup("p1", "t1"), 6 * MS);
        HandoverReport report = only(cleaned, HandoverEffect.Finished.class).report();
        assertThat(report.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(report.prepareNanos()).isEqualTo(2 * MS);
        assertThat(report.commitNanos()).isEqualTo(MS);
        assertThat(report.totalNanos()).isEqualTo(6 * MS);
        assertThat(only(cleaned, HandoverEffect.Reply.class).reply()).isEqualTo(new PeerReply.CleanedUp("t1"));
        assertThat(source.inFlight()).isZero();
    }

    @Test
    void rejectedResolvesAndThenUnfreezesWithoutTellingTheTarget() {
        started();
        List<HandoverEffect> out = source.onReply("t1", new PeerReply.Rejected("t1", RejectReason.BUSY, "full"), MS);
        assertThat(only(out, HandoverEffect.ResolveInDirectory.class).token()).isEqualTo("t1");
        assertThat(has(out, HandoverEffect.Unfreeze.class)).isFalse(); // the directory decides, even here
        List<HandoverEffect> resolved = source.onResolved("t1", Decision.ABORT, 2 * MS);
        HandoverEffect.Unfreeze u = only(resolved, HandoverEffect.Unfreeze.class);
        assertThat(u.lastAppliedSeq()).isEqualTo(42);
        assertThat(u.retryAfterNanos()).isEqualTo(2 * MS + 1_000 * MS);
        assertThat(has(resolved, HandoverEffect.Send.class)).isFalse();
        assertThat(only(resolved, HandoverEffect.Finished.class).report().reason()).isEqualTo("rejected:busy");
    }

    @Test
    void prepareTimeoutResolvesAndAnAbortUnfreezesAndTellsTheTarget() {
        TimerKey t = timer(started());
        List<HandoverEffect> out = source.onTimer(t, 5_000 * MS);
        assertThat(has(out, HandoverEffect.ResolveInDirectory.class)).isTrue();
        List<HandoverEffect> resolved = source.onResolved("t1", Decision.ABORT, 5_001 * MS);
        assertThat(has(resolved, HandoverEffect.Unfreeze.class)).isTrue();
        assertThat(only(resolved, HandoverEffect.Send.class).request()).isEqualTo(new PeerRequest.Abort("p1", "t1"));
        assertThat(only(resolved, HandoverEffect.Finished.class).report().reason()).isEqualTo("prepare_timeout");
    }

    @Test
    void anUnreachableTargetResolvesAtOnce() {
        started();
        assertThat(has(source.onSendFailed("t1", MS), HandoverEffect.ResolveInDirectory.class)).isTrue();
    }

    @Test
    void aReservedThatArrivesAfterTheTimeoutIsIgnored() {
        TimerKey t = timer(started());
        source.onTimer(t, 5_000 * MS);
        assertThat(source.onReply("t1", new PeerReply.Reserved("t1"), 5_001 * MS)).isEmpty();
    }

    @Test
    void aCommitThatFindsAbortAlreadyDecidedUnfreezes() {
        reserved();
        List<HandoverEffect> out = source.onCommitOutcome("t1", new CommitOutcome.AlreadyDecided(Decision.ABORT), MS);
        assertThat(has(out, HandoverEffect.Unfreeze.class)).isTrue();
        assertThat(only(out, HandoverEffect.Finished.class).report().outcome()).isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aDirectoryErrorDuringTheCommitResolvesAndFollowsTheDecision() {
        reserved();
        assertThat(has(source.onDirectoryFailed("t1", 3 * MS), HandoverEffect.ResolveInDirectory.class)).isTrue();
        List<HandoverEffect> out = source.onResolved("t1", Decision.COMMIT, 4 * MS);
        assertThat(only(out, HandoverEffect.Send.class).request()).isInstanceOf(PeerRequest.Commit.class);
        assertThat(has(out, HandoverEffect.Unfreeze.class)).isFalse();
    }

    @Test
    void aResolveThatFailsIsRetriedByTimerWithoutDeciding() {
        started();
        source.onSendFailed("t1", MS);
        List<HandoverEffect> failed = source.onDirectoryFailed("t1", 2 * MS);
        assertThat(has(failed, HandoverEffect.Unfreeze.class)).isFalse();
        List<HandoverEffect> retry = source.onTimer(timer(failed), 60 * MS);
        assertThat(has(retry, HandoverEffect.ResolveInDirectory.class)).isTrue();
        assertThat(source.isHandingOver("p1")).isTrue();
    }

    @Test
    void notOwnerAnyMoreDropsTheCopyWithoutHooks() {
        reserved();
        List<HandoverEffect> out = source.onCommitOutcome("t1",
                new CommitOutcome.NotOwner(Optional.of(new OwnerRecord("n3", 9))), MS);
        assertThat(has(out, HandoverEffect.DropFenced.class)).isTrue();
        assertThat(has(out, HandoverEffect.Unfreeze.class)).isFalse();
        assertThat(only(out, HandoverEffect.Finished.class).report().outcome()).isEqualTo(Outcome.FENCED);
    }

    @Test
    void aLostConfirmedIsRecoveredByResendingTheCommit() {
        reserved();
        List<HandoverEffect> committed = source.onCommitOutcome("t1",
                new CommitOutcome.Committed(new OwnerRecord("n2", 4)), MS);
        List<HandoverEffect> resend = source.onTimer(timer(committed), 100 * MS);
        assertThat(only(resend, HandoverEffect.Send.class).request()).isEqualTo(new PeerRequest.Commit("p1", "t1", 4));
        assertThat(has(source.onReply("t1", new PeerReply.Confirmed("t1", 4), 101 * MS),
                HandoverEffect.Depart.class)).isTrue();
    }

    /** Found by the model check: a target that restarted after RESERVED answers every COMMIT "unknown token". */
    @Test
    void aTargetThatForgotTheTokenAfterTheCommitEndsTheResendsAndTheCopyIsDropped() {
        reserved();
        List<HandoverEffect> committed = source.onCommitOutcome("t1",
                new CommitOutcome.Committed(new OwnerRecord("n2", 4)), MS);
        List<HandoverEffect> out = source.onReply("t1", new PeerReply.Refused(409, "unknown_token",
                "no reservation for this token"), 2 * MS);
        assertThat(has(out, HandoverEffect.Depart.class)).isTrue();
        assertThat(source.phaseOf("t1")).contains(SourcePhase.DEPARTED);
        assertThat(source.onTimer(timer(committed), 100 * MS)).as("no COMMIT resent").isEmpty();
        assertThat(source.onReply("t1", new PeerReply.Refused(409, "stale_epoch", "x"), 3 * MS)).isEmpty();
        // No CLEANUP can come from a target without the token: the bookkeeping ends at once, not a cleanup timeout
        // later (crash seed orbs 81641: still in flight at the end of the run).
        HandoverEffect.SetTimer end = only(out, HandoverEffect.SetTimer.class);
        assertThat(end.atNanos()).isEqualTo(2 * MS);
        assertThat(has(source.onTimer(end.key(), 2 * MS), HandoverEffect.Finished.class)).isTrue();
        assertThat(source.phaseOf("t1")).isEmpty();
    }

    @Test
    void anotherRefusalOfTheCommitKeepsResending() {
        reserved();
        List<HandoverEffect> committed = source.onCommitOutcome("t1",
                new CommitOutcome.Committed(new OwnerRecord("n2", 4)), MS);
        assertThat(source.onReply("t1", new PeerReply.Refused(503, "busy", "mailbox full"), 2 * MS)).isEmpty();
        assertThat(only(source.onTimer(timer(committed), 100 * MS), HandoverEffect.Send.class).request())
                .isEqualTo(new PeerRequest.Commit("p1", "t1", 4));
    }

    @Test
    void aCleanupBeforeConfirmedAlsoProvesTheCommit() {
        reserved();
        source.onCommitOutcome("t1", new CommitOutcome.Committed(new OwnerRecord("n2", 4)), MS);
        List<HandoverEffect> out = source.onCleanup(1, new PeerRequest.Cleanup("p1", "t1"), 2 * MS);
        assertThat(has(out, HandoverEffect.Depart.class)).isTrue();
        assertThat(has(out, HandoverEffect.Finished.class)).isTrue();
    }

    @Test
    void aStaleTimerChangesNothing() {
        TimerKey prepareTimer = timer(started());
        source.onReply("t1", new PeerReply.Reserved("t1"), MS);
        assertThat(source.onTimer(prepareTimer, 5_000 * MS)).isEmpty();
        assertThat(source.phaseOf("t1")).contains(SourcePhase.COMMITTING);
    }

    @Test
    void aCleanupForAnUnknownTokenIsAnsweredAndChangesNothing() {
        List<HandoverEffect> out = source.onCleanup(5, new PeerRequest.Cleanup("p9", "nope"), 0);
        assertThat(out).containsExactly(new HandoverEffect.Reply(5, new PeerReply.CleanedUp("nope")));
    }

    @Test
    void theTransitionTableRefusesWhatTheProtocolNeverDoes() {
        assertThat(SourcePhase.PREPARING.canMoveTo(SourcePhase.CONFIRMING)).isFalse();
        assertThat(SourcePhase.ABORTED.terminal()).isTrue();
        assertThatThrownBy(() -> SourcePhase.DEPARTED.moveTo(SourcePhase.PREPARING))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * Committed to n2, which died before it confirmed; this node takes the player over (rule 12). The handover ends
     * as committed and its frozen copy departs now, so that nothing later (a resend's end, the cleanup) drops the
     * player the taker restores.
     */
    @Test
    void aTargetTakenOverEndsTheHandoverAsCommittedAndItsCopyDepartsAtOnce() {
        reserved();
        TimerKey resend = timer(source.onCommitOutcome("t1", new CommitOutcome.Committed(new OwnerRecord("n2", 4)),
                3 * MS));
        List<HandoverEffect> out = source.targetTakenOver("p1", 10 * MS);
        assertThat(only(out, HandoverEffect.Depart.class).playerId()).isEqualTo("p1");
        assertThat(only(out, HandoverEffect.Finished.class).report().outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(source.isHandingOver("p1")).isFalse();
        assertThat(source.inFlight()).isZero();
        assertThat(source.onTimer(resend, 20 * MS)).as("the COMMIT's resend timer").isEmpty();
        assertThat(source.onReply("t1", new PeerReply.Confirmed("t1", 4), 30 * MS)).as("a late CONFIRMED").isEmpty();
    }

    /** A commit whose answer was lost ends the same way: the directory named the target the owner. */
    @Test
    void aTargetTakenOverWhileTheCommitsAnswerWasUnknownEndsAsCommittedToo() {
        reserved();
        source.onDirectoryFailed("t1", 3 * MS); // the commit's answer lost: resolving
        assertThat(only(source.targetTakenOver("p1", 10 * MS), HandoverEffect.Depart.class).playerId())
                .isEqualTo("p1");
        assertThat(source.inFlight()).isZero();
    }

    @Test
    void aTargetTakenOverMeansNothingBeforeAnyCommit() {
        started();
        assertThat(source.targetTakenOver("p1", 10 * MS)).isEmpty();
        assertThat(source.targetTakenOver("p9", 10 * MS)).isEmpty();
        assertThat(source.isHandingOver("p1")).isTrue();
    }
}
