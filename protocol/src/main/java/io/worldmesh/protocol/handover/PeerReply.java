package io.worldmesh.protocol.handover;

/** Answers to {@link PeerRequest}s. A refusal of a request that is malformed or out of place is {@link Refused}. */
public sealed interface PeerReply permits PeerReply.Reserved, PeerReply.Rejected, PeerReply.Confirmed,
        PeerReply.Aborted, PeerReply.CleanedUp, PeerReply.Refused {

    /** PREPARE accepted: the target holds a staged copy that accepts no input until the COMMIT. */
    record Reserved(String token) implements PeerReply {
    }

    /** PREPARE refused for a typed reason; nothing is staged and the source aborts. */
    record Rejected(String token, RejectReason reason, String detail) implements PeerReply {
    }

    /** COMMIT applied: the target is the owner at {@code epoch} and simulates the player. */
    record Confirmed(String token, long epoch) implements PeerReply {
    }

    /** ABORT applied (or nothing was staged): the target holds no copy. */
    record Aborted(String token) implements PeerReply {
    }

    record CleanedUp(String token) implements PeerReply {
    }

    /**
     * The request was refused as it stands and changed nothing: an HTTP 4xx with a JSON reason, e.g. 409 for a
     * token that already has a decision or a repeated token with another body, 400 for a malformed body.
     */
    record Refused(int status, String code, String reason) implements PeerReply {
    }
}
