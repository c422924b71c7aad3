package io.worldmesh.api;

/**
 * A value of the cluster-wide state at a version. Version 0 means the key is absent, and its value is then "".
 */
public record VersionedValue(String value, long version) {

    /** What is known of a key before any reply for it: as if absent. */
    public static final VersionedValue NONE = new VersionedValue("", 0);

    public VersionedValue {
        if (value == null) {
            throw new IllegalArgumentException("a cluster state value is never null; \"\" stands for none");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
    }
}
