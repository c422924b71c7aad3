package io.worldmesh.client;

import io.worldmesh.protocol.client.ServerMessage;
import io.worldmesh.protocol.link.WorldInfo;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolCheckerTest {

    private static final long SECOND = 1_000_000_000L;
    private final ProtocolChecker checker = new ProtocolChecker(2 * SECOND);

    private static ServerMessage.Snapshot snap(long tick, long ack, long applied, int cx, int cz) {
        return new ServerMessage.Snapshot(tick, ack, applied, "n", "p1", 0, 0, cx, cz, Map.of(), 0);
    }

    private void welcome() {
        checker.onWelcome(new ServerMessage.Welcome("p1", "t", false, 0,
                new WorldInfo("n", "orbs", 20, 8, 8, 64, 8, Map.of())), 0);
    }

    @Test
    void aCleanStreamHasNoViolations() {
        welcome();
        checker.onInputSent(1, 0);
        checker.onSnapshot(snap(1, 1, 1, 0, 0), 50_000_000L);
        checker.onCellChange(new ServerMessage.CellChange(2, 0, 0, 1, 0, "n", "local"));
        checker.onSnapshot(snap(2, 1, 1, 1, 0), 100_000_000L);
        assertThat(checker.violationCount()).isZero();
        assertThat(checker.localHandovers()).isEqualTo(1);
        assertThat(checker.inputLatency().getTotalCount()).isEqualTo(1);
    }

    @Test
    void catchesDuplicatedSkippedAndRegressedInputsTicksAndGaps() {
        welcome();
        checker.onInputSent(1, 0);
        checker.onInputSent(2, 0);
        checker.onSnapshot(snap(5, 2, 3, 0, 0), 1);           // 3 applied for 2 sent: duplicated
        checker.onSnapshot(snap(5, 1, 3, 0, 0), 2);           // same tick, ack went back
        checker.onSnapshot(snap(6, 2, 3, 0, 0), 3 * SECOND);  // a 3 s gap
        assertThat(checker.inputsDuplicated()).isEqualTo(1);
        assertThat(checker.violations()).extracting(ProtocolChecker.Violation::kind)
                .contains("input_duplicated", "tick_not_increasing", "ack_regressed", "snapshot_gap");
    }

    @Test
    void catchesAMissedCellChange() {
        welcome();
        checker.onSnapshot(snap(1, 0, 0, 0, 0), 1);
        checker.onSnapshot(snap(2, 0, 0, 1, 0), 2);           // moved cell with no cell_change
        assertThat(checker.violations()).extracting(ProtocolChecker.Violation::kind).contains("cell_change_missed");
    }

    /**
     * Inputs 1-5 applied, a crash, the player back from a checkpoint after input 2: inputs 3-5 are the failover's
     * loss, 6 and 7 (sent meanwhile, replayed by the gateway) count as they always do, and the pause is no gap.
     */
    @Test
    void aRecoveryRollsBackWhatWasAcknowledgedAfterItsCheckpointAndNothingElse() {
        welcome();
        for (long seq = 1; seq <= 7; seq++) {
            checker.onInputSent(seq, 0);
        }
        checker.onSnapshot(snap(10, 5, 5, 0, 0), SECOND);
        checker.onRecovered(new ServerMessage.Recovered(100, 8, 92, 2, "n"), 6 * SECOND);
        checker.onSnapshot(snap(100, 2, 2, 0, 0), 6 * SECOND + 1);
        checker.onSnapshot(snap(101, 7, 4, 0, 0), 6 * SECOND + 2);
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.recoveries()).isEqualTo(1);
        assertThat(checker.inputsRolledBack()).isEqualTo(3);
        assertThat(checker.ticksLost()).isEqualTo(92);

        checker.onSnapshot(snap(102, 7, 5, 0, 0), 6 * SECOND + 3); // one more applied: input 7 twice
        assertThat(checker.violations()).extracting(ProtocolChecker.Violation::kind).containsExactly("input_duplicated");
    }

    private void resumed(long lastApplied) {
        checker.onWelcome(new ServerMessage.Welcome("p1", "t", true, lastApplied,
                new WorldInfo("n", "orbs", 20, 8, 8, 64, 8, Map.of())), 0);
    }

    /**
     * Inputs 1-6 sent, 1-3 acknowledged, the connection lost; the resume says 4 was applied too, 5 and 6 are sent
     * again with their own seqs. Every input is applied once, nothing is lost, and applying 6 twice is caught.
     */
    @Test
    void aResumeWithTheUnacknowledgedInputsSentAgainLosesNothing() {
        welcome();
        for (long seq = 1; seq <= 6; seq++) {
            checker.onInputSent(seq, 0);
        }
        checker.onSnapshot(snap(10, 3, 3, 0, 0), SECOND);
        resumed(4);
        assertThat(checker.nextSeq()).as("seqs go on after the last sent").isEqualTo(7);
        checker.onSnapshot(snap(30, 4, 4, 0, 0), 2 * SECOND);
        checker.onSnapshot(snap(31, 6, 6, 0, 0), 2 * SECOND + 1);
        checker.onInputSent(7, 2 * SECOND + 2);
        checker.onSnapshot(snap(32, 7, 7, 0, 0), 2 * SECOND + 3);
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.inputsUnacknowledged()).isZero();
        assertThat(checker.inputsApplied()).isEqualTo(3);

        checker.onSnapshot(snap(33, 7, 8, 0, 0), 2 * SECOND + 4);
        assertThat(checker.violations()).extracting(ProtocolChecker.Violation::kind).containsExactly("input_duplicated");
    }

    /** Inputs 5-8 were not kept to send again: they count as given up, not as lost or skipped. */
    @Test
    void inputsGivenUpAtAResumeAreNeitherLostNorSkipped() {
        welcome();
        for (long seq = 1; seq <= 10; seq++) {
            checker.onInputSent(seq, 0);
        }
        resumed(4);
        checker.onInputsGivenUp(4, 8);
        assertThat(checker.inputsUnacknowledged()).isEqualTo(2);
        checker.onSnapshot(snap(30, 10, 6, 0, 0), SECOND); // 9 and 10 resent and applied: 6 in all
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.inputsGivenUp()).isEqualTo(4);
        assertThat(checker.inputsUnacknowledged()).isZero();

        checker.onSnapshot(snap(31, 10, 5, 0, 0), SECOND + 1); // one fewer applied than before: not possible
        assertThat(checker.violations()).extracting(ProtocolChecker.Violation::kind).containsExactly("input_skipped");
    }

    /** A welcome that is not a resume is a new player: its seqs start again. */
    @Test
    void aNewPlayerAfterALostOneStartsItsSeqsAgain() {
        welcome();
        checker.onInputSent(1, 0);
        checker.onInputSent(2, 0);
        welcome();
        assertThat(checker.nextSeq()).isEqualTo(1);
        checker.onInputSent(1, SECOND);
        checker.onSnapshot(snap(40, 1, 1, 0, 0), 2 * SECOND);
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.inputsUnacknowledged()).isZero();
    }

    /** A resync says the cell again after a link came back: a missed cell_change is then no violation. */
    @Test
    void aResyncSetsTheCellWithoutAContinuityCheck() {
        welcome();
        checker.onSnapshot(snap(1, 0, 0, 0, 0), 1);
        // the cell_change to 1,0 went with the link
        checker.onCellChange(new ServerMessage.CellChange(5, 2, 0, 2, 0, "n", "resync"));
        checker.onSnapshot(snap(6, 0, 0, 2, 0), 2);
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.resyncs()).isEqualTo(1);
        assertThat(checker.localHandovers()).isZero();

        checker.onSnapshot(snap(7, 0, 0, 3, 0), 3); // a missed cell_change with no resync is still caught
        assertThat(checker.violations()).extracting(ProtocolChecker.Violation::kind).containsExactly("cell_change_missed");
    }
}
