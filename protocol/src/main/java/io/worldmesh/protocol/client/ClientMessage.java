package io.worldmesh.protocol.client;

/** A message from a game client to the gateway, decoded and validated. */
public sealed interface ClientMessage permits ClientMessage.Hello, ClientMessage.Input, ClientMessage.Ping,
        ClientMessage.Echo {

    /** The first message of a connection. {@code resume} is a resume token, or null for a new player. */
    record Hello(long version, String name, String resume) implements ClientMessage {
    }

    /**
     * One input. {@code move} has length at most 1 after decoding; {@code pos}, the client's predicted position,
     * is null when absent and is never used as a position; {@code action}, a game action, is null when absent.
     */
    record Input(long seq, Vec2 move, double yaw, Vec2 pos, GameAction action) implements ClientMessage {

        public Input(long seq, Vec2 move, double yaw, Vec2 pos) {
            this(seq, move, yaw, pos, null);
        }
    }

    /** A game's own action riding on an input: a name and flat string, number or boolean fields. */
    record GameAction(String name, java.util.Map<String, Object> fields) {
    }

    /** A round-trip probe, answered at once with the same id. */
    record Ping(long id) implements ClientMessage {
    }

    /**
     * A round-trip probe through the gateway to the simulation of the player's owning node and back, answered with
     * an echo of the same id: what the tunnel adds to a client's latency.
     */
    record Echo(long id) implements ClientMessage {
    }
}
