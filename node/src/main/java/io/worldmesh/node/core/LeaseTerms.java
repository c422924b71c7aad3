package io.worldmesh.node.core;

import java.time.Duration;

/**
 * The lease a node holds in the directory (HANDOVER-RULES rule 12): as which incarnation, for how long each hold
 * lasts, and when the first hold was sent (monotonic nanoseconds), the driver having taken it before the core starts.
 */
public record LeaseTerms(long incarnation, Duration ttl, long heldSinceNanos) {

    public LeaseTerms {
        if (ttl.toMillis() < 100) {
            throw new IllegalArgumentException("a lease must last at least 100 ms, was " + ttl.toMillis() + " ms");
        }
    }
}
