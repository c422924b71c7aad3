package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.protocol.handover.PlayerState;

/**
 * A player the world has frozen because it crossed from {@code from} into {@code to}, a cell another node owns:
 * the handover the node core now runs. {@code state} is the frozen player's whole state, as
 * {@link World#stateOf} gives it.
 */
public record OutboundTransfer(String playerId, CellRef from, CellRef to, PlayerState state) {
}
