package io.worldmesh.gateway;

/**
 * Counts inputs in one-second windows. Over the limit in one window: warn, and drop the excess. Over it again in
 * the next window: close. A window within the limit forgives an earlier warning.
 */
final class RateWindow {

    /** What to do with one input. */
    enum Verdict { ACCEPT, WARN_AND_DROP, DROP, CLOSE }

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int limit;
    private long windowStart = Long.MIN_VALUE;
    private int count;
    private boolean overInThisWindow;
    private boolean warnedInPreviousWindow;

    RateWindow(int limit) {
        this.limit = limit;
    }

    Verdict admit(long nowNanos) {
        if (windowStart == Long.MIN_VALUE || nowNanos - windowStart >= WINDOW_NANOS) {
            boolean consecutive = windowStart != Long.MIN_VALUE && nowNanos - windowStart < 2 * WINDOW_NANOS;
            warnedInPreviousWindow = overInThisWindow && consecutive;
            windowStart = nowNanos;
            count = 0;
            overInThisWindow = false;
        }
        count++;
        if (count <= limit) {
            return Verdict.ACCEPT;
        }
        if (warnedInPreviousWindow) {
            return Verdict.CLOSE;
        }
        if (!overInThisWindow) {
            overInThisWindow = true;
            return Verdict.WARN_AND_DROP;
        }
        return Verdict.DROP;
    }
}
