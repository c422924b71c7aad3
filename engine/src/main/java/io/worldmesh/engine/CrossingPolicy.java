package io.worldmesh.engine;

import io.worldmesh.api.CellRef;

/**
 * Asked, during the tick, when a player has crossed into a cell this node does not own (past the hysteresis
 * margin, its minimum dwell done). Supplied by the node core; it must answer at once and must not touch the world.
 */
@FunctionalInterface
public interface CrossingPolicy {

    /** Holds every player at the border: a world that does not hand over. */
    CrossingPolicy HOLD = (player, from, to) -> new CrossingDecision.Hold("cross-node handover is off");

    CrossingDecision decide(Player player, CellRef from, CellRef to);
}
