package io.worldmesh.protocol.auth;

import javax.crypto.spec.SecretKeySpec;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gateway link's handshake: the node's first message on a new link is a text frame
 * {@code worldmesh-link v1 challenge <nonce>} (32 random bytes); the gateway's first is
 * {@code worldmesh-link v1 answer <mac>}, the HMAC-SHA256 with the cluster's gateway-link key over the gateway's
 * id, the node's id and the nonce. A fresh nonce per link means an answer is good for that link only: a recorded
 * one is worth nothing, and no clock or replay cache is involved.
 */
public final class LinkAuth {

    public static final int NONCE_BYTES = 32;
    private static final String CHALLENGE = "worldmesh-link v1 challenge ";
    private static final String ANSWER = "worldmesh-link v1 answer ";
    private static final Pattern B64_32 = Pattern.compile("[A-Za-z0-9_-]{" + Hmac.B64_SHA256_CHARS + "}");

    private final SecretKeySpec key;

    public LinkAuth(ClusterKeys keys) {
        this.key = keys.gatewayLinks();
    }

    /** The node's challenge with a nonce of {@link #NONCE_BYTES} fresh random bytes. */
    public static String challenge(byte[] nonce) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("a link challenge's nonce is " + NONCE_BYTES + " bytes");
        }
        return CHALLENGE + Hmac.B64.encodeToString(nonce);
    }

    /** Gateway {@code gatewayId}'s answer to node {@code nodeId}'s challenge; empty when the text is not one. */
    public Optional<String> answer(String challenge, String gatewayId, String nodeId) {
        String nonce = challenge.startsWith(CHALLENGE) ? challenge.substring(CHALLENGE.length()) : "";
        return B64_32.matcher(nonce).matches() ? Optional.of(ANSWER + mac(gatewayId, nodeId, nonce)) : Optional.empty();
    }

    /** Whether {@code answer} is gateway {@code gatewayId}'s answer to this node's challenge of {@code nonce}. */
    public AuthVerdict check(String answer, String gatewayId, String nodeId, byte[] nonce) {
        String mac = answer.startsWith(ANSWER) ? answer.substring(ANSWER.length()) : "";
        if (!B64_32.matcher(mac).matches()) {
            return new AuthVerdict.Refused(AuthRefusal.UNSIGNED, "the first message is not an answer to the challenge");
        }
        return Hmac.sameText(mac, mac(gatewayId, nodeId, Hmac.B64.encodeToString(nonce)))
                ? new AuthVerdict.Verified(gatewayId)
                : new AuthVerdict.Refused(AuthRefusal.BAD_SIGNATURE, "wrong answer to the link challenge");
    }

    private String mac(String gatewayId, String nodeId, String nonce) {
        return Hmac.signB64(key, String.join("\n", ClusterKeys.GATEWAY_LINKS, gatewayId, nodeId, nonce));
    }
}
