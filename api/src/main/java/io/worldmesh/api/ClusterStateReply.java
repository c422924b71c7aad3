package io.worldmesh.api;

import java.util.Objects;

/**
 * The store's answer to one {@link ClusterOp}: the key's value and version after the operation.
 *
 * @param value    the key's value; "" when the key is absent (version 0)
 * @param version  the key's version after the operation; grows by one with every successful write
 * @param swapped  true only for a {@link Kind#SWAPPED} compare-and-set
 */
public record ClusterStateReply(String key, String value, long version, boolean swapped, Kind kind) {

    /** Which operation this answers, and how it went. */
    public enum Kind {
        /** A read: the current value. */
        READ,
        /** A compare-and-set that wrote its value: {@code version} is the new one. */
        SWAPPED,
        /** A compare-and-set whose expected version was not current: the value and version that are there. */
        CONFLICT
    }

    public ClusterStateReply {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(kind, "kind");
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        if (swapped != (kind == Kind.SWAPPED)) {
            throw new IllegalArgumentException("swapped must be true exactly for SWAPPED, was " + swapped + " for " + kind);
        }
    }

    public static ClusterStateReply read(String key, VersionedValue v) {
        return new ClusterStateReply(key, v.value(), v.version(), false, Kind.READ);
    }

    public static ClusterStateReply swapped(String key, VersionedValue v) {
        return new ClusterStateReply(key, v.value(), v.version(), true, Kind.SWAPPED);
    }

    public static ClusterStateReply conflict(String key, VersionedValue v) {
        return new ClusterStateReply(key, v.value(), v.version(), false, Kind.CONFLICT);
    }

    /** The value and version this reply carries. */
    public VersionedValue versioned() {
        return new VersionedValue(value, version);
    }
}
