package io.worldmesh.api;

import java.util.List;

/**
 * What one node holds at the end of a tick, for invariant measures: its active and frozen players (a player being
 * handed over counts on its source) and the entities of its owned cells.
 */
public interface WorldView {

    long tick();

    /** The whole grid's size; the node may own only some of its cells. */
    WorldBounds bounds();

    List<? extends GamePlayer> players();

    List<? extends Entity> entities();

    /** Players who have joined the game on this node since it started (handovers are not joins). */
    default long joined() {
        return 0;
    }

    /** Players who have left the game for good on this node since it started (handovers are not leaves). */
    default long left() {
        return 0;
    }
}
