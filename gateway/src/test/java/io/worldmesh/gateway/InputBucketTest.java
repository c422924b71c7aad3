package io.worldmesh.gateway;

import org.junit.jupiter.api.Test;

import static io.worldmesh.gateway.InputBucket.Verdict.ACCEPT;
import static io.worldmesh.gateway.InputBucket.Verdict.CLOSE;
import static io.worldmesh.gateway.InputBucket.Verdict.DROP;
import static io.worldmesh.gateway.InputBucket.Verdict.WARN_AND_DROP;
import static org.assertj.core.api.Assertions.assertThat;

class InputBucketTest {

    private static final long MS = 1_000_000L;

    @Test
    void takesTwoSecondsOfInputsAtOnceThenWarnsOnceAndDrops() {
        InputBucket b = new InputBucket(3);
        for (int i = 0; i < 6; i++) {
            assertThat(b.admit(i)).as("input %d of the burst", i).isEqualTo(ACCEPT);
        }
        assertThat(b.admit(6)).isEqualTo(WARN_AND_DROP);
        assertThat(b.admit(7)).isEqualTo(DROP);
    }

    @Test
    void anHonestClientsBacklogAfterAStallIsAccepted() {
        InputBucket b = new InputBucket(60);
        long t = 0;
        for (int i = 0; i < 200; i++, t += 50 * MS) { // 20 a second
            assertThat(b.admit(t)).isEqualTo(ACCEPT);
        }
        for (int i = 0; i < 60; i++) { // three seconds of them read at once
            assertThat(b.admit(t)).isEqualTo(ACCEPT);
        }
    }

    @Test
    void keepingOnOverTheLimitForASecondAfterTheWarningCloses() {
        InputBucket b = new InputBucket(10);
        long t = 0;
        InputBucket.Verdict v = ACCEPT;
        int warnings = 0;
        for (; t < 5000 * MS && v != CLOSE; t += 20 * MS) { // 50 a second
            v = b.admit(t);
            warnings += v == WARN_AND_DROP ? 1 : 0;
        }
        assertThat(v).isEqualTo(CLOSE);
        assertThat(warnings).isEqualTo(1);
        // 20 of burst at 40 a second net: empty after 0.5 s, closed a second later.
        assertThat(t).isBetween(1400 * MS, 1700 * MS);
    }

    @Test
    void slowingDownUntilTheBucketIsHalfFullForgivesTheWarning() {
        InputBucket b = new InputBucket(2);
        for (int i = 0; i < 4; i++) {
            b.admit(i);
        }
        assertThat(b.admit(4)).isEqualTo(WARN_AND_DROP);
        assertThat(b.admit(1100 * MS)).isEqualTo(ACCEPT); // 2.2 tokens back: over half of 4, forgiven
        assertThat(b.admit(1101 * MS)).isEqualTo(ACCEPT);
        assertThat(b.admit(1102 * MS)).isEqualTo(WARN_AND_DROP); // a new warning, not a close
    }

    @Test
    void aBucketThatStaysBelowHalfIsNotForgiven() {
        InputBucket b = new InputBucket(4);
        for (int i = 0; i < 8; i++) {
            b.admit(i);
        }
        assertThat(b.admit(8)).isEqualTo(WARN_AND_DROP);
        assertThat(b.admit(500 * MS)).isEqualTo(ACCEPT); // 2 tokens back of 8: still warned
        assertThat(b.admit(500 * MS + 1)).isEqualTo(ACCEPT);
        assertThat(b.admit(500 * MS + 2)).isEqualTo(DROP); // empty again, within the second
        assertThat(b.admit(1000 * MS + 10)).isEqualTo(ACCEPT);
        assertThat(b.admit(1000 * MS + 11)).isEqualTo(ACCEPT);
        assertThat(b.admit(1000 * MS + 12)).isEqualTo(CLOSE); // empty again, a second after the warning
    }
}
