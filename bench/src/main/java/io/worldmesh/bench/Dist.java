package io.worldmesh.bench;

/** A distribution's p50, p90, p99 and max in one unit (milliseconds or microseconds), and how many samples. */
public record Dist(int count, double p50, double p90, double p99, double max) {

    static final Dist EMPTY = new Dist(0, 0, 0, 0, 0);

    /** Of samples in nanoseconds, in units of {@code unitNanos} (1e6 for milliseconds, 1e3 for microseconds). */
    static Dist of(Samples s, double unitNanos) {
        return new Dist(s.count(), s.percentile(50) / unitNanos, s.percentile(90) / unitNanos,
                s.percentile(99) / unitNanos, s.max() / unitNanos);
    }
}
