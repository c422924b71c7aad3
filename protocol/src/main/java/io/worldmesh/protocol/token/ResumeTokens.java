package io.worldmesh.protocol.token;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Signs and verifies resume tokens: {@code playerId + "." + base64url(HMAC-SHA256(secret, clusterId | playerId))}.
 * A client that holds one may take its player back after a dropped connection, through any gateway of the same
 * cluster; nobody can forge one for another player, and a token of one cluster is worthless in another.
 */
public final class ResumeTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final String clusterId;

    /** Tokens of one process that is its own cluster (tests, a lone world). */
    public ResumeTokens(byte[] secret) {
        this(secret, "");
    }

    public ResumeTokens(byte[] secret, String clusterId) {
        this.clusterId = clusterId;
        if (secret.length < 16) {
            throw new IllegalArgumentException("resume token secret must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    public String sign(String playerId) {
        return playerId + "." + B64.encodeToString(mac(playerId));
    }

    /** The player a genuine token names; empty for a forged or malformed one. */
    public Optional<String> verify(String token) {
        int dot = token.lastIndexOf('.');
        if (dot <= 0 || token.length() > 128) {
            return Optional.empty();
        }
        String playerId = token.substring(0, dot);
        // Compared as text, not decoded: the last base64 character has unused bits that a decoder ignores, so a
        // token changed there would still pass.
        byte[] expected = B64.encodeToString(mac(playerId)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII), expected)
                ? Optional.of(playerId) : Optional.empty();
    }

    private byte[] mac(String playerId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((clusterId + "|" + playerId).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
