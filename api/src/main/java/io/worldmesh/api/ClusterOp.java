package io.worldmesh.api;

import java.util.Objects;

/** An operation on the cluster-wide state that a game asked for, waiting for the node's driver to run it. */
public sealed interface ClusterOp {

    String key();

    /** Read the current value and version. */
    record Read(String key) implements ClusterOp {
        public Read {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Write {@code value} if the key is still at {@code expectedVersion} (0 = absent). */
    record CompareAndSet(String key, long expectedVersion, String value) implements ClusterOp {
        public CompareAndSet {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (expectedVersion < 0) {
                throw new IllegalArgumentException("expected version must be >= 0, was " + expectedVersion);
            }
        }
    }

    /**
     * Write {@code value} if the key is still at {@code expectedVersion} and player {@code leaver} has left the game
     * for good (the cluster holds no record of it: ids are never used again, so that cannot change back). For a
     * value that names a player who left without the game hearing of it, e.g. in a crash of its node.
     */
    record CompareAndSetIfLeft(String key, long expectedVersion, String leaver, String value) implements ClusterOp {
        public CompareAndSetIfLeft {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(leaver, "leaver");
            Objects.requireNonNull(value, "value");
            if (expectedVersion < 0) {
                throw new IllegalArgumentException("expected version must be >= 0, was " + expectedVersion);
            }
        }
    }
}
