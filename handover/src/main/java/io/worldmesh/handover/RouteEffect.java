package io.worldmesh.handover;

import io.worldmesh.protocol.client.ClientMessage;

/** What the gateway's route switch asks the gateway to do. */
public sealed interface RouteEffect {

    /** Send the input to the node on its link. */
    record Forward(String node, String playerId, ClientMessage.Input input) implements RouteEffect {
    }

    /** Refuse the input to the client with {@code overloaded}: the player's buffer is at its bound. */
    record Refuse(String playerId, long seq, String reason) implements RouteEffect {
    }

    /**
     * Answer a ROUTE with ACK on the node's link, naming the player's connection here, or -1 when no connected
     * client of the player is here.
     */
    record Ack(String node, String playerId, long epoch, long connectionId) implements RouteEffect {

        /** An ACK that names no connection. */
        public Ack(String node, String playerId, long epoch) {
            this(node, playerId, epoch, -1);
        }
    }

    /** The player's client is gone: tell its (new) owner, so that its resume window starts there. */
    record Detach(String node, String playerId, long connectionId) implements RouteEffect {
    }
}
