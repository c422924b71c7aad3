package io.worldmesh.gateway;

import io.worldmesh.protocol.link.ToNode;

/** What a {@link ClientSession} asks its transport to do. */
public sealed interface SessionEffect permits SessionEffect.Send, SessionEffect.Forward, SessionEffect.Close,
        SessionEffect.Bind {

    /**
     * Send a text message to the client. A {@code droppable} one (a pong, an error that answers the client's own
     * message) may be left out for a client that does not read; an essential one (the welcome, an error that comes
     * with it or before a close) may not.
     */
    record Send(String json, boolean droppable) implements SessionEffect {

        static Send reply(String json) {
            return new Send(json, true);
        }

        static Send essential(String json) {
            return new Send(json, false);
        }
    }

    /** Hand a frame to the simulation. */
    record Forward(ToNode frame) implements SessionEffect {
    }

    /** Close the client's connection with a WebSocket close code. */
    record Close(int code, String reason) implements SessionEffect {
    }

    /** This connection now carries {@code playerId}: route the player's messages to it. */
    record Bind(String playerId) implements SessionEffect {
    }
}
