package io.worldmesh.gateway;

/**
 * The input rate a client may keep up: a token bucket that refills at the limit per second and holds
 * {@value #BURST_SECONDS} seconds of it. The burst is there because the gateway meets inputs when it reads them, not
 * when they were sent: after this process was starved of CPU for a moment (a GC, a busy host), an honest 20 Hz
 * client's inputs of the last second or two arrive at once, and must not cost it its connection. A flood still
 * empties the bucket within seconds. Empty: warn once and drop the input; still empty a second after the warning
 * (the client keeps on faster than the limit): close. A bucket back at half forgives the warning.
 */
final class InputBucket {

    /** What to do with one input. */
    enum Verdict { ACCEPT, WARN_AND_DROP, DROP, CLOSE }

    static final int BURST_SECONDS = 2;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;
    private boolean started;
    private boolean warned;
    private long warnedAtNanos;

    InputBucket(int perSecond) {
        this.perNano = (double) perSecond / SECOND_NANOS;
        this.capacity = Math.max(1, (double) perSecond * BURST_SECONDS);
        this.tokens = capacity;
    }

    Verdict admit(long nowNanos) {
        if (started) {
            tokens = Math.min(capacity, tokens + Math.max(0, nowNanos - lastNanos) * perNano);
        }
        started = true;
        lastNanos = nowNanos;
        if (warned && tokens >= capacity / 2) {
            warned = false;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        if (!warned) {
            warned = true;
            warnedAtNanos = nowNanos;
            return Verdict.WARN_AND_DROP;
        }
        return nowNanos - warnedAtNanos >= SECOND_NANOS ? Verdict.CLOSE : Verdict.DROP;
    }
}
