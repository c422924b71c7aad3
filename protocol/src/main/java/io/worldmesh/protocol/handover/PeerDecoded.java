package io.worldmesh.protocol.handover;

/** What decoding a peer request's body gave. */
public sealed interface PeerDecoded {

    record Ok(PeerRequest request) implements PeerDecoded {
    }

    /** A PREPARE whose state does not match its checksum: answered REJECTED (rule 9), not 400. */
    record BadChecksum(String token, String detail) implements PeerDecoded {
    }

    /** Not a valid request: answered with a 4xx and this JSON reason; nothing changes. */
    record Invalid(int status, String code, String reason) implements PeerDecoded {
    }
}
