package io.worldmesh.testkit;

import java.time.Duration;
import java.util.SplittableRandom;

/** Delays drawn from a seeded source: a small base latency that every message takes, plus a fault's extra delay. */
final class Latency {

    private final SplittableRandom random;
    private final long baseMinNanos;
    private final long baseMaxNanos;

    Latency(SplittableRandom random, Duration baseMin, Duration baseMax) {
        this.random = random;
        this.baseMinNanos = baseMin.toNanos();
        this.baseMaxNanos = baseMax.toNanos();
    }

    /** The base latency plus up to {@code extraMax}. */
    long draw(Duration extraMax) {
        long base = baseMinNanos + random.nextLong(baseMaxNanos - baseMinNanos + 1);
        long extra = extraMax.isZero() ? 0 : random.nextLong(extraMax.toNanos() + 1);
        return base + extra;
    }

    boolean chance(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }

    SplittableRandom random() {
        return random;
    }
}
