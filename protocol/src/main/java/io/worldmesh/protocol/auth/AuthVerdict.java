package io.worldmesh.protocol.auth;

/** The outcome of checking a signed request or a link's answer. */
public sealed interface AuthVerdict permits AuthVerdict.Verified, AuthVerdict.Refused {

    /** Authentic and fresh; {@code signer} is the node (or gateway, or tool) that signed it. */
    record Verified(String signer) implements AuthVerdict {
    }

    /** Not authenticated: refused with {@code refusal}'s code, counted, and nothing else done. */
    record Refused(AuthRefusal refusal, String reason) implements AuthVerdict {
    }
}
