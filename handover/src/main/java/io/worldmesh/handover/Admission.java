package io.worldmesh.handover;

import io.worldmesh.protocol.handover.RejectReason;

/**
 * The node's verdict on a new PREPARE before anything is staged: token signature, checksum, session data,
 * cell ownership, capacity, no ping-pong. {@code S} is the node's staged copy (the engine's).
 */
public sealed interface Admission<S> {

    record Admit<S>(S staged) implements Admission<S> {
    }

    record Reject<S>(RejectReason reason, String detail) implements Admission<S> {
    }
}
