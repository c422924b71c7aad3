package io.worldmesh.api;

import java.util.Objects;

/**
 * The store's answer to one {@link ClusterOp}: the key's value and version after the operation, and the operation
 * it answers, so that a game can carry on with what it asked for (retry it, or follow it up) without remembering
 * anything in fields.
 *
 * @param value    the key's value; "" when the key is absent (version 0)
 * @param version  the key's version after the operation; grows by one with every successful write
 * @param swapped  true only for a {@link Kind#SWAPPED} compare-and-set
 * @param op       the operation this answers
 */
public record ClusterStateReply(String key, String value, long version, boolean swapped, Kind kind, ClusterOp op) {

    /** Which operation this answers, and how it went. */
    public enum Kind {
        /** A read: the current value. */
        READ,
        /** A compare-and-set that wrote its value: {@code version} is the new one. */
        SWAPPED,
        /**
         * A compare-and-set whose expected version was not current, or whose leaver has not left: the value and
         * version that are there.
         */
        CONFLICT,
        /**
         * No answer came (the store was unreachable or too slow): the operation may or may not have taken effect.
         * {@code value} and {@code version} are only what this node knew already ({@link ClusterView#latest}),
         * nothing new. Retry the operation, or read, if it still matters; never take it as done or as refused.
         */
        FAILED
    }

    public ClusterStateReply {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(op, "op");
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        if (swapped != (kind == Kind.SWAPPED)) {
            throw new IllegalArgumentException("swapped must be true exactly for SWAPPED, was " + swapped + " for " + kind);
        }
        if (!op.key().equals(key)) {
            throw new IllegalArgumentException("a reply for key " + key + " cannot answer " + op);
        }
        boolean fits = switch (kind) {
            case READ -> op instanceof ClusterOp.Read;
            case SWAPPED, CONFLICT -> op instanceof ClusterOp.CompareAndSet || op instanceof ClusterOp.CompareAndSetIfLeft;
            case FAILED -> true;
        };
        if (!fits) {
            throw new IllegalArgumentException(kind + " cannot answer " + op);
        }
    }

    public static ClusterStateReply read(ClusterOp.Read op, VersionedValue v) {
        return new ClusterStateReply(op.key(), v.value(), v.version(), false, Kind.READ, op);
    }

    public static ClusterStateReply swapped(ClusterOp op, VersionedValue v) {
        return new ClusterStateReply(op.key(), v.value(), v.version(), true, Kind.SWAPPED, op);
    }

    public static ClusterStateReply conflict(ClusterOp op, VersionedValue v) {
        return new ClusterStateReply(op.key(), v.value(), v.version(), false, Kind.CONFLICT, op);
    }

    /** No answer to {@code op}; {@code known} is what the node knew of the key already. */
    public static ClusterStateReply failed(ClusterOp op, VersionedValue known) {
        return new ClusterStateReply(op.key(), known.value(), known.version(), false, Kind.FAILED, op);
    }

    /** The value and version this reply carries. */
    public VersionedValue versioned() {
        return new VersionedValue(value, version);
    }
}
