package io.worldmesh.bench;

import java.util.Arrays;

/**
 * A growable list of long samples (nanoseconds, or any unit) with exact nearest-rank percentiles. Exact rather
 * than bucketed, and able to hold negative values: a difference of two round trips can be below zero.
 */
final class Samples {

    private long[] values = new long[256];
    private int size;
    private boolean sorted = true;

    synchronized void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
        sorted = false;
    }

    synchronized int count() {
        return size;
    }

    /** The smallest sample at or above {@code percentile} percent of them; 0 when there are none. */
    synchronized long percentile(double percentile) {
        if (size == 0) {
            return 0;
        }
        sort();
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return values[Math.clamp(rank - 1, 0, size - 1)];
    }

    synchronized long max() {
        return size == 0 ? 0 : percentile(100);
    }

    synchronized double mean() {
        if (size == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum / size;
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
    }
}
