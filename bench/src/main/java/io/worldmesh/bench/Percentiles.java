package io.worldmesh.bench;

import org.HdrHistogram.Histogram;

/** Milliseconds at a percentile of a nanosecond histogram. */
final class Percentiles {

    private Percentiles() {
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
    }

    static double maxMs(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e6;
    }
}
