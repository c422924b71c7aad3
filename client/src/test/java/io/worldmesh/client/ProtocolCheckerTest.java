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
}
