package io.worldmesh.protocol.link;

/** Frames from a simulation to the gateway that holds a player's connection. */
public sealed interface ToGateway permits ToGateway.Attached, ToGateway.ToClient {

    /**
     * The player for connection {@code connectionId} is in the world; {@code lastAppliedSeq} is where a resumed
     * client's input sequence goes on from (0 for a new player).
     */
    record Attached(long connectionId, String playerId, boolean resumed, long lastAppliedSeq, WorldInfo world)
            implements ToGateway {
    }

    /**
     * A message for one player's client, already encoded as UTF-8 JSON. A {@code droppable} one (a snapshot, which
     * the next tick's supersedes) may be skipped for a client that cannot keep up; an event may not.
     */
    record ToClient(String playerId, byte[] json, boolean droppable) implements ToGateway {
    }
}
