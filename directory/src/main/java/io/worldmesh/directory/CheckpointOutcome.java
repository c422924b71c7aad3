package io.worldmesh.directory;

import java.util.List;

/**
 * What a checkpoint wrote: {@code written} players and {@code removed} removals, and the ids of the players refused
 * because the directory names another owner or epoch (handed on, taken over, or gone): a stale writer's writes
 * change nothing (rule 6). {@code nodeFenced}: the writing incarnation is below its node's lease fence (its cells and
 * players were taken over), so nothing at all was written.
 */
public record CheckpointOutcome(int written, List<String> fenced, int removed, boolean nodeFenced) {

    public CheckpointOutcome {
        fenced = List.copyOf(fenced);
    }

    public CheckpointOutcome(int written, List<String> fenced) {
        this(written, fenced, 0, false);
    }

    /** Nothing written: the writer's incarnation is fenced. */
    public static CheckpointOutcome refusedWhole() {
        return new CheckpointOutcome(0, List.of(), 0, true);
    }
}
