package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.protocol.handover.PlayerState;

/**
 * A handed-over player state that a world has validated ({@link World#stage}) and may activate on COMMIT
 * ({@link World#arrive}): its session data decodes with the game's schema and {@code cell}, the cell under its
 * position, is owned there. It is in no world, accepts no input and counts in no invariant.
 */
public final class StagedPlayer {

    private final PlayerState state;
    private final CellRef from;
    private final CellRef cell;
    final World stagedBy;

    StagedPlayer(PlayerState state, CellRef from, CellRef cell, World stagedBy) {
        this.state = state;
        this.from = from;
        this.cell = cell;
        this.stagedBy = stagedBy;
    }

    public PlayerState state() {
        return state;
    }

    /** The cell on the source the player crossed from. */
    public CellRef from() {
        return from;
    }

    /** The owned cell the player will be in. */
    public CellRef cell() {
        return cell;
    }

    public String playerId() {
        return state.playerId();
    }

    @Override
    public String toString() {
        return "StagedPlayer[" + state + " from " + from + " into " + cell + "]";
    }
}
