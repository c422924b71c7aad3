package io.worldmesh.directory;

import java.util.Optional;

/** What a write fenced by epoch found (a session write, or removing a player that leaves). */
public sealed interface FencedWrite {

    /** The writer's epoch was the player's current one; the write happened. */
    record Written() implements FencedWrite {
    }

    /** The writer's epoch is stale (or the player is unknown); nothing changed. */
    record Fenced(Optional<OwnerRecord> current) implements FencedWrite {
    }
}
