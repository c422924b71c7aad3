package io.worldmesh.directory;

/**
 * Who owns a player, and at which epoch. The epoch grows by one with every committed handover (or, later,
 * failover); every write of the player's state is fenced by it.
 */
public record OwnerRecord(String node, long epoch) {

    public OwnerRecord {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("owner node must not be blank");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, was " + epoch);
        }
    }

    /** The record a committed handover to {@code target} writes. */
    public OwnerRecord next(String target) {
        return new OwnerRecord(target, epoch + 1);
    }

    @Override
    public String toString() {
        return node + "@" + epoch;
    }
}
