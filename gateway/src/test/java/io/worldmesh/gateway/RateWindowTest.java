package io.worldmesh.gateway;

import org.junit.jupiter.api.Test;

import static io.worldmesh.gateway.RateWindow.Verdict.ACCEPT;
import static io.worldmesh.gateway.RateWindow.Verdict.CLOSE;
import static io.worldmesh.gateway.RateWindow.Verdict.DROP;
import static io.worldmesh.gateway.RateWindow.Verdict.WARN_AND_DROP;
import static org.assertj.core.api.Assertions.assertThat;

class RateWindowTest {

    private static final long MS = 1_000_000L;

    @Test
    void warnsOnceThenDropsWithinAWindow() {
        RateWindow w = new RateWindow(3);
        assertThat(w.admit(0)).isEqualTo(ACCEPT);
        assertThat(w.admit(10 * MS)).isEqualTo(ACCEPT);
        assertThat(w.admit(20 * MS)).isEqualTo(ACCEPT);
        assertThat(w.admit(30 * MS)).isEqualTo(WARN_AND_DROP);
        assertThat(w.admit(40 * MS)).isEqualTo(DROP);
    }

    @Test
    void closesWhenTheNextWindowIsOverTheLimitToo() {
        RateWindow w = new RateWindow(2);
        w.admit(0);
        w.admit(1);
        assertThat(w.admit(2)).isEqualTo(WARN_AND_DROP);
        assertThat(w.admit(1000 * MS)).isEqualTo(ACCEPT);
        assertThat(w.admit(1001 * MS)).isEqualTo(ACCEPT);
        assertThat(w.admit(1002 * MS)).isEqualTo(CLOSE);
    }

    @Test
    void aCalmWindowForgivesAWarning() {
        RateWindow w = new RateWindow(2);
        w.admit(0);
        w.admit(1);
        assertThat(w.admit(2)).isEqualTo(WARN_AND_DROP);
        assertThat(w.admit(1000 * MS)).isEqualTo(ACCEPT); // one input in the next second: within the limit
        assertThat(w.admit(2000 * MS)).isEqualTo(ACCEPT);
        assertThat(w.admit(2001 * MS)).isEqualTo(ACCEPT);
        assertThat(w.admit(2002 * MS)).isEqualTo(WARN_AND_DROP);
    }

    @Test
    void aQuietGapForgivesAWarning() {
        RateWindow w = new RateWindow(1);
        w.admit(0);
        assertThat(w.admit(1)).isEqualTo(WARN_AND_DROP);
        assertThat(w.admit(5000 * MS)).isEqualTo(ACCEPT);
        assertThat(w.admit(5001 * MS)).isEqualTo(WARN_AND_DROP);
    }
}
