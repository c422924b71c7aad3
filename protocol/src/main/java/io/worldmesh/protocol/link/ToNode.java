package io.worldmesh.protocol.link;

import io.worldmesh.protocol.client.ClientMessage;

/** Frames from a gateway to the simulation that owns a player. */
public sealed interface ToNode permits ToNode.Attach, ToNode.Input, ToNode.Detach {

    /**
     * A client said hello on connection {@code connectionId}. {@code resumePlayerId} is the player a verified
     * resume token names, or null for a new player.
     */
    record Attach(long connectionId, String name, String resumePlayerId) implements ToNode {
    }

    /** A validated input for a player. */
    record Input(String playerId, ClientMessage.Input input) implements ToNode {
    }

    /**
     * Connection {@code connectionId} of the player is gone; the node keeps the player for the resume window.
     * Ignored when the player has since been attached to a newer connection.
     */
    record Detach(String playerId, long connectionId) implements ToNode {
    }
}
