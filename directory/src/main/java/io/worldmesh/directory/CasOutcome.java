package io.worldmesh.directory;

/** What a compare-and-set on the cluster-wide game state found. */
public sealed interface CasOutcome {

    VersionedValue current();

    /** The expected version matched; {@code current} is what was written. */
    record Swapped(VersionedValue current) implements CasOutcome {
    }

    /** Someone wrote first; {@code current} is what is there now, and nothing changed. */
    record Conflict(VersionedValue current) implements CasOutcome {
    }
}
