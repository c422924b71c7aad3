package io.worldmesh.node;

import java.time.Duration;

/**
 * How a node keeps its players recoverable: the lease it holds in the directory (zero: none, as in one process
 * where no node dies alone) and how often it checkpoints its players to the session store (zero: never).
 */
public record NodeDurability(Duration leaseTtl, Duration checkpointInterval) {

    public static final NodeDurability NONE = new NodeDurability(Duration.ZERO, Duration.ZERO);
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    public NodeDurability {
        if (leaseTtl.isNegative() || (!leaseTtl.isZero() && leaseTtl.toMillis() < 1000)) {
            throw new IllegalArgumentException("the lease TTL must be 0 (none) or at least 1 s, was " + leaseTtl);
        }
        if (checkpointInterval.isNegative() || (!checkpointInterval.isZero() && checkpointInterval.toMillis() < 50)) {
            throw new IllegalArgumentException("the checkpoint interval must be 0 (none) or at least 50 ms, was "
                    + checkpointInterval);
        }
    }

    public boolean leased() {
        return !leaseTtl.isZero();
    }
}
