package io.worldmesh.handover;

/** How a handover ended, for each side's report. */
public enum Outcome {
    /** The directory recorded COMMIT: the player moved. */
    COMMITTED,
    /** The directory recorded ABORT: the player stayed on its source. */
    ABORTED,
    /** The source found it was no longer the player's owner: its copy was dropped without simulating it. */
    FENCED
}
