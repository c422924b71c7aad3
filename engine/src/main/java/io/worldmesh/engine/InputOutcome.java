package io.worldmesh.engine;

/** What became of one input. */
public enum InputOutcome {
    /** Applied: direction and yaw taken, {@code last_applied_seq} advanced. */
    APPLIED,
    /** Applied, but the client's predicted position was too far off; the server's position stands. */
    APPLIED_TELEPORT_IGNORED,
    /** Its seq was not greater than the last applied: a repeat or out of order. Nothing changed. */
    STALE,
    /** Its game action is not one the game declares, or its fields do not match. Nothing changed. */
    BAD_ACTION,
    /** No such player in this world. Nothing changed. */
    UNKNOWN_PLAYER,
    /**
     * The player is frozen for a handover to another node. Nothing changed: the gateway keeps the input and replays
     * it to whichever node owns the player when the handover ends.
     */
    FROZEN
}
