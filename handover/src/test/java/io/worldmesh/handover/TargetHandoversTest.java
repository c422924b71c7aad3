package io.worldmesh.handover;

import io.worldmesh.directory.Decision;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static io.worldmesh.handover.Fixtures.MS;
import static io.worldmesh.handover.Fixtures.has;
import static io.worldmesh.handover.Fixtures.only;
import static io.worldmesh.handover.Fixtures.prepare;
import static io.worldmesh.handover.Fixtures.timer;
import static org.assertj.core.api.Assertions.assertThat;

/** The target side, one test per row of its part of the failure table in docs/handover.md. */
class TargetHandoversTest {

    private final TargetHandovers<String> target = new TargetHandovers<>("n2", Fixtures.SETTINGS);
    private final List<PeerRequest.Prepare> admitted = new ArrayList<>();
    private final Function<PeerRequest.Prepare, Admission<String>> admit = p -> {
        admitted.add(p);
        return new Admission.Admit<>("staged-" + p.playerId());
    };

    private static PeerReply replyOf(List<HandoverEffect> effects) {
        return only(effects, HandoverEffect.Reply.class).reply();
    }

    private List<HandoverEffect> reserved() {
        target.onPrepare(1, prepare("t1"), admit, 0);
        return target.onDecision("t1", Optional.empty(), MS);
    }

    private List<HandoverEffect> activated() {
        reserved();
        target.onCommit(2, new PeerRequest.Commit("p1", "t1", 4), 2 * MS);
        return target.onOwner("t1", Optional.of(new OwnerRecord("n2", 4)), 3 * MS);
    }

    @Test
    void prepareAsksTheDirectoryBeforeReserving() {
        List<HandoverEffect> out = target.onPrepare(1, prepare("t1"), admit, 0);
        assertThat(only(out, HandoverEffect.ReadDecision.class)).isEqualTo(new HandoverEffect.ReadDecision("p1", "t1"));
        assertThat(has(out, HandoverEffect.Reply.class)).isFalse();
        assertThat(target.isStaged("p1")).isTrue();
        List<HandoverEffect> decided = target.onDecision("t1", Optional.empty(), MS);
        assertThat(replyOf(decided)).isEqualTo(new PeerReply.Reserved("t1"));
        assertThat(only(decided, HandoverEffect.SetTimer.class).atNanos()).isEqualTo(MS + 3_000 * MS);
    }

    @Test
    void happyPathActivatesOnlyAfterTheOwnerCheckThenRoutesAndCleansUp() {
        reserved();
        List<HandoverEffect> commit = target.onCommit(2, new PeerRequest.Commit("p1", "t1", 4), 2 * MS);
        assertThat(only(commit, HandoverEffect.ReadOwner.class).token()).isEqualTo("t1");
        assertThat(has(commit, HandoverEffect.Activate.class)).isFalse();
        List<HandoverEffect> owner = target.onOwner("t1", Optional.of(new OwnerRecord("n2", 4)), 3 * MS);
        assertThat(only(owner, HandoverEffect.Activate.class)).isEqualTo(new HandoverEffect.Activate(prepare("t1"), "staged-p1", 4));
        assertThat(replyOf(owner)).isEqualTo(new PeerReply.Confirmed("t1", 4));
        assertThat(only(owner, HandoverEffect.Route.class)).isEqualTo(new HandoverEffect.Route("g1", "p1", 4, 42));
        assertThat(target.isStaged("p1")).isFalse();
        List<HandoverEffect> acked = target.onRouteAck("p1", 4, 4 * MS);
        assertThat(only(acked, HandoverEffect.Send.class)).isEqualTo(new HandoverEffect.Send("n1",
                new PeerRequest.Cleanup("p1", "t1")));
        HandoverReport r = only(target.onReply("t1", new PeerReply.CleanedUp("t1"), 5 * MS),
                HandoverEffect.Finished.class).report();
        assertThat(r.outcome()).isEqualTo(Outcome.COMMITTED);
        assertThat(r.routeNanos()).isEqualTo(2 * MS);
        assertThat(target.inFlight()).isZero();
    }

    @Test
    void aRepeatedPrepareWithTheSameBodyGetsTheSameAnswer() {
        reserved();
        assertThat(replyOf(target.onPrepare(5, prepare("t1"), admit, 2 * MS))).isEqualTo(new PeerReply.Reserved("t1"));
        assertThat(admitted).hasSize(1);
    }

    @Test
    void aRepeatWhileTheDirectoryIsAskedIsAnsweredWithTheFirst() {
        target.onPrepare(1, prepare("t1"), admit, 0);
        assertThat(target.onPrepare(2, prepare("t1"), admit, 0)).isEmpty();
        List<HandoverEffect> out = target.onDecision("t1", Optional.empty(), MS);
        assertThat(out).contains(new HandoverEffect.Reply(1, new PeerReply.Reserved("t1")),
                new HandoverEffect.Reply(2, new PeerReply.Reserved("t1")));
    }

    @Test
    void theSameTokenWithAnotherBodyIs409() {
        reserved();
        PeerReply r = replyOf(target.onPrepare(5, prepare("t1", 43), admit, 2 * MS));
        assertThat(r).isInstanceOf(PeerReply.Refused.class);
        assertThat(((PeerReply.Refused) r).status()).isEqualTo(409);
        assertThat(((PeerReply.Refused) r).code()).isEqualTo("token_reused");
    }

    @Test
    void aTokenThatAlreadyHasADecisionIsRefusedAndNothingStays() {
        target.onPrepare(1, prepare("t1"), admit, 0);
        List<HandoverEffect> out = target.onDecision("t1", Optional.of(Decision.ABORT), MS);
        assertThat(((PeerReply.Refused) replyOf(out)).code()).isEqualTo("decided");
        assertThat(target.isStaged("p1")).isFalse();
        assertThat(target.reservations()).isZero();
        // and a later duplicate of it is refused without staging again
        assertThat(((PeerReply.Refused) replyOf(target.onPrepare(3, prepare("t1"), admit, 2 * MS))).status())
                .isEqualTo(409);
        assertThat(admitted).hasSize(1);
    }

    @Test
    void aCommitTimeoutResolvesAndAnAbortDiscardsTheStagedCopy() {
        TimerKey t = timer(reserved());
        List<HandoverEffect> out = target.onTimer(t, 3_001 * MS);
        assertThat(only(out, HandoverEffect.ResolveInDirectory.class).side()).isEqualTo(Side.TARGET);
        List<HandoverEffect> resolved = target.onResolved("t1", Decision.ABORT, 3_002 * MS);
        assertThat(only(resolved, HandoverEffect.Finished.class).report().outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(has(resolved, HandoverEffect.Activate.class)).isFalse();
        assertThat(target.isStaged("p1")).isFalse();
        PeerReply late = replyOf(target.onCommit(9, new PeerRequest.Commit("p1", "t1", 4), 3_003 * MS));
        assertThat(((PeerReply.Refused) late).status()).isEqualTo(409);
    }

    @Test
    void aCommitTimeoutThatFindsCommitActivates() {
        TimerKey t = timer(reserved());
        target.onTimer(t, 3_001 * MS);
        List<HandoverEffect> resolved = target.onResolved("t1", Decision.COMMIT, 3_002 * MS);
        assertThat(has(resolved, HandoverEffect.ReadOwner.class)).isTrue();
        assertThat(has(target.onOwner("t1", Optional.of(new OwnerRecord("n2", 4)), 3_003 * MS),
                HandoverEffect.Activate.class)).isTrue();
    }

    @Test
    void noActivationUnlessTheDirectoryNamesThisNodeAtTheNewEpoch() {
        reserved();
        target.onCommit(2, new PeerRequest.Commit("p1", "t1", 4), 2 * MS);
        List<HandoverEffect> out = target.onOwner("t1", Optional.of(new OwnerRecord("n3", 5)), 3 * MS);
        assertThat(has(out, HandoverEffect.Activate.class)).isFalse();
        assertThat(((PeerReply.Refused) replyOf(out)).code()).isEqualTo("not_owner");
        assertThat(target.isStaged("p1")).isFalse();
    }

    @Test
    void anOutOfOrderOrStaleCommitIs409AndChangesNothing() {
        PeerReply unknown = replyOf(target.onCommit(1, new PeerRequest.Commit("p1", "nope", 4), 0));
        assertThat(((PeerReply.Refused) unknown).code()).isEqualTo("unknown_token");
        target.onPrepare(2, prepare("t1"), admit, 0);
        PeerReply early = replyOf(target.onCommit(3, new PeerRequest.Commit("p1", "t1", 4), 0));
        assertThat(((PeerReply.Refused) early).code()).isEqualTo("out_of_order");
        target.onDecision("t1", Optional.empty(), MS);
        PeerReply stale = replyOf(target.onCommit(4, new PeerRequest.Commit("p1", "t1", 3), MS));
        assertThat(((PeerReply.Refused) stale).code()).isEqualTo("stale_epoch");
        assertThat(target.phaseOf("t1")).contains(TargetPhase.RESERVED);
    }

    @Test
    void anAbortMessageIsCheckedWithTheDirectory() {
        reserved();
        List<HandoverEffect> out = target.onAbort(5, new PeerRequest.Abort("p1", "t1"), 2 * MS);
        assertThat(has(out, HandoverEffect.ResolveInDirectory.class)).isTrue();
        assertThat(has(out, HandoverEffect.Reply.class)).isFalse();
        List<HandoverEffect> forged = target.onResolved("t1", Decision.COMMIT, 3 * MS);
        assertThat(((PeerReply.Refused) replyOf(forged)).code()).isEqualTo("decided");
        assertThat(has(forged, HandoverEffect.ReadOwner.class)).isTrue();
    }

    @Test
    void anAbortWhileTheDecisionIsBeingReadResolvesAndAnswersEveryone() {
        // The source timed out on a slow PREPARE and resolved ABORT; its ABORT overtakes the decision read.
        target.onPrepare(1, prepare("t1"), admit, 0);
        List<HandoverEffect> out = target.onAbort(2, new PeerRequest.Abort("p1", "t1"), MS);
        assertThat(only(out, HandoverEffect.ResolveInDirectory.class))
                .isEqualTo(new HandoverEffect.ResolveInDirectory("p1", "t1", Side.TARGET));
        assertThat(target.phaseOf("t1")).contains(TargetPhase.RESOLVING);
        assertThat(target.onDecision("t1", Optional.of(Decision.ABORT), 2 * MS)).isEmpty();
        List<HandoverEffect> resolved = target.onResolved("t1", Decision.ABORT, 3 * MS);
        List<PeerReply> replies = resolved.stream().filter(HandoverEffect.Reply.class::isInstance)
                .map(e -> ((HandoverEffect.Reply) e).reply()).toList();
        assertThat(replies).hasSize(2).contains(new PeerReply.Aborted("t1"));
        assertThat(replies).anyMatch(r -> r instanceof PeerReply.Refused f && f.code().equals("decided"));
        assertThat(target.isStaged("p1")).isFalse();
        assertThat(target.inFlight()).isZero();
    }

    @Test
    void anAbortForNothingStagedIsAnsweredAborted() {
        assertThat(replyOf(target.onAbort(1, new PeerRequest.Abort("p1", "nope"), 0)))
                .isEqualTo(new PeerReply.Aborted("nope"));
    }

    @Test
    void aRepeatedCommitAfterActivationIsConfirmedAgain() {
        activated();
        assertThat(replyOf(target.onCommit(7, new PeerRequest.Commit("p1", "t1", 4), 4 * MS)))
                .isEqualTo(new PeerReply.Confirmed("t1", 4));
    }

    @Test
    void routeIsResentWithBackoffUntilTheAck() {
        TimerKey t = timer(activated());
        List<HandoverEffect> first = target.onTimer(t, 53 * MS);
        assertThat(has(first, HandoverEffect.Route.class)).isTrue();
        HandoverEffect.SetTimer next = only(first, HandoverEffect.SetTimer.class);
        assertThat(next.atNanos()).isEqualTo(153 * MS); // 50 ms, then 100 ms
        target.onRouteAck("p1", 4, 60 * MS);
        assertThat(target.onTimer(next.key(), 153 * MS)).isEmpty();
    }

    @Test
    void aRouteAckForAnotherEpochChangesNothing() {
        activated();
        assertThat(target.onRouteAck("p1", 3, 4 * MS)).isEmpty();
        assertThat(target.phaseOf("t1")).contains(TargetPhase.ROUTING);
    }

    @Test
    void reservationsAreBoundedWithBusy() {
        TargetHandovers<String> small = new TargetHandovers<>("n2", new HandoverSettings(
                Fixtures.SETTINGS.prepareTimeout(), Fixtures.SETTINGS.commitTimeout(), Fixtures.SETTINGS.routeTimeout(),
                Fixtures.SETTINGS.resendInitial(), Fixtures.SETTINGS.retryBackoff(), Fixtures.SETTINGS.cleanupTimeout(),
                1, 1));
        small.onPrepare(1, prepare("t1"), admit, 0);
        PeerRequest.Prepare other = new PeerRequest.Prepare("p2", "n1", "n2", "g1", 8, prepare("x").fromCell(),
                prepare("x").toCell(), Fixtures.state(1), "t2", 10_000, 1);
        PeerReply r = replyOf(small.onPrepare(2, other, admit, 0));
        assertThat(r).isInstanceOf(PeerReply.Rejected.class);
        assertThat(((PeerReply.Rejected) r).reason()).isEqualTo(RejectReason.BUSY);
    }

    @Test
    void aRejectedAdmissionStagesNothing() {
        List<HandoverEffect> out = target.onPrepare(1, prepare("t1"),
                p -> new Admission.Reject<>(RejectReason.CHECKSUM_MISMATCH, "crc"), 0);
        assertThat(replyOf(out)).isEqualTo(new PeerReply.Rejected("t1", RejectReason.CHECKSUM_MISMATCH, "crc"));
        assertThat(target.isStaged("p1")).isFalse();
        assertThat(target.inFlight()).isZero();
    }

    @Test
    void aPrepareForAnotherNodeIsRejected() {
        PeerRequest.Prepare p = prepare("t1");
        PeerRequest.Prepare elsewhere = new PeerRequest.Prepare(p.playerId(), p.sourceNode(), "n3", p.gatewayId(),
                p.connectionId(), p.fromCell(), p.toCell(), p.state(), p.token(), p.expiresAtMillis(), p.epoch());
        assertThat(((PeerReply.Rejected) replyOf(target.onPrepare(1, elsewhere, admit, 0))).reason())
                .isEqualTo(RejectReason.NOT_OWNER_OF_CELL);
        assertThat(admitted).isEmpty();
    }
}
