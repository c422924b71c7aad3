package io.worldmesh.client;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectBackoffTest {

    @Test
    void delaysStayUnderADoublingCeilingUpToTheCapAndAreSpreadOverIt() {
        ReconnectBackoff backoff = new ReconnectBackoff(new SplittableRandom(7));
        long[] ceilings = {250, 500, 1000, 2000, 4000, 5000, 5000, 5000};
        for (long ceiling : ceilings) {
            long d = backoff.nextDelayMillis();
            assertThat(d).isBetween(ReconnectBackoff.FLOOR_MILLIS, ceiling);
        }
        assertThat(backoff.attempts()).isEqualTo(ceilings.length);

        // Full jitter: at the cap, many clients' delays cover the window rather than bunching at its top.
        long min = Long.MAX_VALUE, max = 0;
        for (int client = 0; client < 500; client++) {
            ReconnectBackoff b = new ReconnectBackoff(new SplittableRandom(client));
            for (int i = 0; i < 6; i++) {
                b.nextDelayMillis();
            }
            long d = b.nextDelayMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(500);
        assertThat(max).isGreaterThan(4_500);
    }

    @Test
    void aResetStartsFromTheBaseAgainAndALongOutageNeverOverflows() {
        ReconnectBackoff backoff = new ReconnectBackoff(new SplittableRandom(1));
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.nextDelayMillis()).isBetween(ReconnectBackoff.FLOOR_MILLIS, ReconnectBackoff.CAP_MILLIS);
        }
        backoff.reset();
        assertThat(backoff.attempts()).isZero();
        assertThat(backoff.nextDelayMillis()).isLessThanOrEqualTo(ReconnectBackoff.BASE_MILLIS);
    }

    @Test
    void refusesACapBelowTheBase() {
        assertThatThrownBy(() -> new ReconnectBackoff(500, 100, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
