package io.worldmesh.engine;

import io.worldmesh.api.CellRef;

/** A player's owning cell changed during {@code tick}. */
public record CellChange(String playerId, CellRef from, CellRef to, long tick) {
}
