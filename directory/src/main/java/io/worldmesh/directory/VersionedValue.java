package io.worldmesh.directory;

/**
 * One key of a game's cluster-wide state: its value and a version that grows with every write. An absent key
 * reads as {@code ("", 0)}.
 */
public record VersionedValue(String value, long version) {

    public static final VersionedValue ABSENT = new VersionedValue("", 0);
}
