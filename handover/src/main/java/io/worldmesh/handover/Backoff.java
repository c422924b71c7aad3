package io.worldmesh.handover;

/** Doubling waits between resends, from a first wait up to a cap. */
final class Backoff {

    private final long initialNanos;
    private final long capNanos;
    private long next;

    Backoff(long initialNanos, long capNanos) {
        this.initialNanos = initialNanos;
        this.capNanos = Math.max(initialNanos, capNanos);
        this.next = initialNanos;
    }

    long next() {
        long wait = next;
        next = Math.min(capNanos, next * 2);
        return wait;
    }

    void reset() {
        next = initialNanos;
    }
}
