package io.worldmesh.protocol.link;

import io.worldmesh.protocol.client.ClientMessage;

/** Frames from a gateway to a simulation node, on the gateway's one link to that node. */
public sealed interface ToNode permits ToNode.Attach, ToNode.Input, ToNode.Detach, ToNode.RouteAck, ToNode.Echo {

    /**
     * A client said hello on connection {@code connectionId} of this gateway. {@code resumePlayerId} is the player a
     * verified resume token names, or null for a new player.
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

    /** The gateway switched the player's route to this node at {@code epoch} (the answer to a ROUTE). */
    record RouteAck(String playerId, long epoch) implements ToNode {
    }

    /** Answered at once with {@link ToGateway.EchoReply}: measures the link itself. */
    record Echo(long id) implements ToNode {
    }
}
