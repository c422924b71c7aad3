package io.worldmesh.engine;

/** Whether a world can take a handed-over player: {@link World#stage} changes nothing either way. */
public sealed interface StageResult {

    /** The state is valid here; {@link World#arrive} activates it on COMMIT. */
    record Staged(StagedPlayer player) implements StageResult {
    }

    /** The state cannot be taken; {@code reason} says why, for the REJECTED reply. */
    record Refused(String reason) implements StageResult {
    }
}
