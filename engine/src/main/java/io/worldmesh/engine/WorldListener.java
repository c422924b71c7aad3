package io.worldmesh.engine;

/** What a world reports to whoever runs it. Called on the simulation thread, during the tick. */
public interface WorldListener {

    WorldListener NONE = change -> { };

    /** A player moved to another cell of this world (a local handover). */
    void onCellChange(CellChange change);

    /** The game sent an event to a player; {@code json} is the encoded {@code game_event} message. */
    default void onGameEvent(String playerId, byte[] json) {
    }

    /**
     * A player crossed into a cell another node owns and the crossing policy chose a handover: the player is
     * frozen from now until {@link World#depart} (COMMIT) or {@link World#unfreeze} (ABORT).
     */
    default void onOutbound(OutboundTransfer transfer) {
    }

    /** A player left the world for good (its resume window ran out, or it was removed); not a handover. */
    default void onLeft(String playerId) {
    }
}
