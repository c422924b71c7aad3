package io.worldmesh.handover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The handover's typed settings, with the ADR's defaults. A timeout never decides an outcome: it makes the
 * participant resolve through the directory (rule 2).
 *
 * @param prepareTimeout   source: waiting for RESERVED or REJECTED
 * @param commitTimeout    target: waiting for COMMIT after RESERVED; source: the longest wait between COMMIT resends
 * @param routeTimeout     target: the longest wait between ROUTE resends until the gateway's ACK
 * @param resendInitial    first wait before resending COMMIT, ROUTE or CLEANUP, or retrying a directory call; doubles
 *                         up to the timeout of the phase
 * @param retryBackoff     after an ABORT, how long the player stays on its source before it may try again
 * @param cleanupTimeout   how long a finished handover's bookkeeping waits for CLEANUP before it is dropped
 * @param maxReservations  staged copies a target holds at once; beyond it PREPARE is REJECTED with {@code busy}
 * @param maxOutbound      handovers a source runs at once; beyond it a crossing player is held at the border
 */
public record HandoverSettings(Duration prepareTimeout, Duration commitTimeout, Duration routeTimeout,
                               Duration resendInitial, Duration retryBackoff, Duration cleanupTimeout,
                               int maxReservations, int maxOutbound) {

    public static final HandoverSettings DEFAULTS = new HandoverSettings(Duration.ofSeconds(5), Duration.ofSeconds(3),
            Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(30), 4096, 4096);

    public HandoverSettings {
        List<String> problems = new ArrayList<>();
        for (Duration d : List.of(prepareTimeout, commitTimeout, routeTimeout, resendInitial, cleanupTimeout)) {
            if (d.isNegative() || d.isZero()) {
                problems.add("timeouts must be > 0, was " + d);
            }
        }
        if (retryBackoff.isNegative()) problems.add("retry backoff must be >= 0, was " + retryBackoff);
        if (maxReservations < 1) problems.add("max reservations must be >= 1, was " + maxReservations);
        if (maxOutbound < 1) problems.add("max outbound must be >= 1, was " + maxOutbound);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid handover settings: " + String.join("; ", problems));
        }
    }

    long prepareNanos() { return prepareTimeout.toNanos(); }
    long commitNanos() { return commitTimeout.toNanos(); }
    long routeNanos() { return routeTimeout.toNanos(); }
    long resendNanos() { return resendInitial.toNanos(); }
    long cleanupNanos() { return cleanupTimeout.toNanos(); }
}
