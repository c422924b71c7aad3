package io.worldmesh.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SamplesTest {

    @Test
    void percentilesAreNearestRankOverEverySampleNegativeOnesIncluded() {
        Samples s = new Samples();
        for (int i = 100; i >= -99; i--) { // 200 samples, added out of order, past the first capacity
            s.add(i);
        }
        assertThat(s.count()).isEqualTo(200);
        assertThat(s.percentile(50)).isEqualTo(0);
        assertThat(s.percentile(99)).isEqualTo(98);
        assertThat(s.percentile(0)).isEqualTo(-99);
        assertThat(s.max()).isEqualTo(100);
        s.add(1000);
        assertThat(s.max()).isEqualTo(1000);
    }

    @Test
    void noSamplesGiveZeros() {
        assertThat(Dist.of(new Samples(), 1e6)).isEqualTo(new Dist(0, 0, 0, 0, 0));
    }
}
