package io.worldmesh.node.core;

import io.worldmesh.directory.LeaseOutcome;

/**
 * The node's lease, kept without IO. A hold lasts the TTL from when the directory takes it, so at least from when it
 * was sent; the keeper renews every third of the TTL and counts the lease lost a margin (a tenth of the TTL) before
 * that, so that the node has stopped simulating before its lease can run out in the directory and anyone may take its
 * players. The margin covers clocks that run at slightly different rates; it is not a bet on message delays.
 */
final class LeaseKeeper {

    private final LeaseTerms terms;
    private final long ttlNanos;
    private final long marginNanos;
    private final long retryNanos;
    private long validUntil;
    private long nextAttempt;
    private long sentAt;
    private boolean inFlight;

    LeaseKeeper(LeaseTerms terms) {
        this.terms = terms;
        this.ttlNanos = terms.ttl().toNanos();
        this.marginNanos = ttlNanos / 10;
        this.retryNanos = ttlNanos / 10;
        heldFrom(terms.heldSinceNanos());
    }

    boolean valid(long now) {
        return now - validUntil < 0;
    }

    /** Whether a hold should be sent now: one at a time, every third of the TTL, sooner again after a failure. */
    boolean due(long now) {
        return !inFlight && now - nextAttempt >= 0;
    }

    DirectoryOp hold(String nodeId, long now) {
        inFlight = true;
        sentAt = now;
        return new DirectoryOp.HoldLease(nodeId, terms.incarnation(), terms.ttl());
    }

    /** The directory's answer; true if the lease is this node's again. */
    boolean answered(LeaseOutcome outcome, long now) {
        inFlight = false;
        if (outcome instanceof LeaseOutcome.Held) {
            heldFrom(sentAt);
            return true;
        }
        nextAttempt = now + retryNanos;
        return false;
    }

    void failed(long now) {
        inFlight = false;
        nextAttempt = now + retryNanos;
    }

    private void heldFrom(long since) {
        validUntil = since + ttlNanos - marginNanos;
        nextAttempt = since + ttlNanos / 3;
    }
}
