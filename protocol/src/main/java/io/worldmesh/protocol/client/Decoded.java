package io.worldmesh.protocol.client;

/** The outcome of decoding one client frame. */
public sealed interface Decoded permits Decoded.Ok, Decoded.Invalid {

    record Ok(ClientMessage message) implements Decoded {
    }

    /** The frame was refused; {@code message} says why, for the client's developer. */
    record Invalid(ErrorCode code, String message) implements Decoded {
    }
}
