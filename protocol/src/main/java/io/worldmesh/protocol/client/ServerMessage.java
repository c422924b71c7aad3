package io.worldmesh.protocol.client;

import io.worldmesh.protocol.link.WorldInfo;

import java.util.Map;

/** A message from the server to a game client, as a Java client decodes it. */
public sealed interface ServerMessage permits ServerMessage.Welcome, ServerMessage.Snapshot,
        ServerMessage.CellChange, ServerMessage.Recovered, ServerMessage.GameEvent, ServerMessage.Error,
        ServerMessage.Pong, ServerMessage.Echo {

    record Welcome(String playerId, String resumeToken, boolean resumed, long lastAppliedSeq, WorldInfo world)
            implements ServerMessage {
    }

    /** A tick's view: the player itself, its game HUD fields and how many entities are in its area of interest. */
    record Snapshot(long tick, long lastAppliedSeq, long applied, String node, String playerId, double x, double z,
                    int cx, int cz, Map<String, Object> hud, int entityCount) implements ServerMessage {
    }

    record CellChange(long tick, int fromCx, int fromCz, int toCx, int toCz, String node, String handover)
            implements ServerMessage {
    }

    /**
     * The player's node crashed and the player was put back from its last checkpoint (at {@code fromTick}): what it
     * did in the {@code ticksLost} ticks since is gone, and inputs go on after {@code lastAppliedSeq}.
     */
    record Recovered(long tick, long fromTick, long ticksLost, long lastAppliedSeq, String node)
            implements ServerMessage {
    }

    /** A game's own event; {@code data} values are strings, longs, doubles or booleans. */
    record GameEvent(long tick, String name, Map<String, Object> data) implements ServerMessage {
    }

    record Error(String code, String message) implements ServerMessage {
    }

    record Pong(long id) implements ServerMessage {
    }

    record Echo(long id) implements ServerMessage {
    }
}
