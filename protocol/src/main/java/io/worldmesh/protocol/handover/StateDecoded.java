package io.worldmesh.protocol.handover;

/** What decoding a handed-over player state gave: the state, or why it was refused. */
public sealed interface StateDecoded {

    record Ok(PlayerState state) implements StateDecoded {
    }

    /** Nothing was accepted; {@code reason} says why, for the REJECTED reply and the logs. */
    record Refused(RejectReason reason, String detail) implements StateDecoded {
    }
}
