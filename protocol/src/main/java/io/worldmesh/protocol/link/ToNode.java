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

    /**
     * The gateway switched the player's route to this node at {@code epoch} (the answer to a ROUTE), or has it at a
     * newer one. {@code connectionId}: the player's connection on this gateway, or {@link #NO_CONNECTION} when the
     * gateway holds no connected client for it (it never had the player, or its client has gone). A node restoring
     * players after a crash sends ROUTE to every gateway and learns from this which one holds each client.
     */
    record RouteAck(String playerId, long epoch, long connectionId) implements ToNode {

        public static final long NO_CONNECTION = -1;

        /** An ACK that names no connection. */
        public RouteAck(String playerId, long epoch) {
            this(playerId, epoch, NO_CONNECTION);
        }
    }

    /** Answered at once with {@link ToGateway.EchoReply}: measures the link itself. */
    record Echo(long id) implements ToNode {
    }
}
