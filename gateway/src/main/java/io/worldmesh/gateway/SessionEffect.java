package io.worldmesh.gateway;

import io.worldmesh.protocol.link.ToNode;

/** What a {@link ClientSession} asks its transport to do. */
public sealed interface SessionEffect permits SessionEffect.Send, SessionEffect.Forward, SessionEffect.Close,
        SessionEffect.Bind {

    /** Send a text message to the client. */
    record Send(String json) implements SessionEffect {
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
