package io.worldmesh.handover;

/**
 * One side's account of a finished handover, for metrics and logs. Phase durations are in nanoseconds, -1 when
 * the phase did not happen. Source: {@code prepare} = freeze to RESERVED, {@code commit} = RESERVED to the commit
 * known, {@code route} = commit known to CLEANUP (the gateway has switched), {@code total} = freeze to CLEANUP.
 * Target: {@code route} = activation to the gateway's ACK.
 *
 * @param reason  why it ended so, e.g. {@code committed}, {@code rejected:busy}, {@code prepare_timeout}
 */
public record HandoverReport(Side side, String playerId, String token, Outcome outcome, String reason,
                             long prepareNanos, long commitNanos, long routeNanos, long totalNanos) {
}
