package io.worldmesh.directory;

import java.util.List;

/**
 * What a checkpoint wrote: {@code written} players, and the ids of those refused because the directory names another
 * owner or epoch (handed on, taken over, or gone): a stale writer's writes change nothing (rule 6).
 */
public record CheckpointOutcome(int written, List<String> fenced) {

    public CheckpointOutcome {
        fenced = List.copyOf(fenced);
    }
}
