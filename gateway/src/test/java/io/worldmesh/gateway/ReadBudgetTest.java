package io.worldmesh.gateway;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReadBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void twoSecondsOfFramesAtOnceThenReadingStopsForAsLongAsTheExcessTakes() {
        ReadBudget budget = new ReadBudget(10, 1_000_000);
        for (int i = 0; i < 20; i++) {
            assertThat(budget.take(10, 0)).as("frame %d", i).isZero();
        }
        assertThat((double) budget.take(10, 0)).as("the 21st: a tenth of a second")
                .isCloseTo(0.1 * SECOND, within(1e3));
        assertThat(budget.take(10, 0)).as("already stopped: the frames of the last read still come").isZero();
        budget.resumed();
        assertThat(budget.take(10, SECOND)).as("a second later, ten frames are back").isZero();
    }

    @Test
    void bytesAreBoundLikeFrames() {
        ReadBudget budget = new ReadBudget(1000, 100);
        assertThat(budget.take(200, 0)).as("two seconds of bytes at once").isZero();
        assertThat((double) budget.take(50, 0)).isCloseTo(0.5 * SECOND, within(1e3));
    }

    @Test
    void aHonestClientIsNeverStopped() {
        ReadBudget budget = ReadBudget.of(GatewaySettings.defaults(new byte[16]));
        // 50 inputs and a ping a second for a minute, as the browser client sends at most.
        for (long t = 0; t < 60 * SECOND; t += SECOND / 51) {
            assertThat(budget.take(200, t)).isZero();
        }
    }
}
