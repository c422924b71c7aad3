package io.worldmesh.protocol.handover;

import io.worldmesh.api.CellRef;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;

/**
 * Handover tokens (rule 8): a UUID v4, then an HMAC-SHA256 with the cluster secret over the player, the cells,
 * the epoch and the expiry. Unguessable, bound to one handover, and single-use through its decision record.
 * They never go to a game client.
 */
public final class HandoverTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_TOKEN = 128;

    private final SecretKeySpec key;

    public HandoverTokens(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the cluster secret must be at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** {@code uuid} comes from the caller, so that a simulator can seed it; it must be a random (v4) UUID. */
    public String mint(UUID uuid, String playerId, CellRef from, CellRef to, long epoch, long expiresAtMillis) {
        String id = uuid.toString();
        return id + "." + B64.encodeToString(mac(id, playerId, from, to, epoch, expiresAtMillis));
    }

    public boolean verify(String token, String playerId, CellRef from, CellRef to, long epoch, long expiresAtMillis) {
        if (token == null || token.length() > MAX_TOKEN) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot != 36) {
            return false;
        }
        try {
            UUID.fromString(token.substring(0, dot));
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Compared as text, not decoded: the last base64 character has unused bits, and a decoder accepts every
        // variant of them, so one token would have several spellings, each a different key for decisions.
        byte[] expected = B64.encodeToString(mac(token.substring(0, dot), playerId, from, to, epoch, expiresAtMillis))
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII), expected);
    }

    private byte[] mac(String id, String playerId, CellRef from, CellRef to, long epoch, long expiresAtMillis) {
        String signed = id + "|" + playerId + "|" + from.cx() + "," + from.cz() + "|" + to.cx() + "," + to.cz()
                + "|" + epoch + "|" + expiresAtMillis;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
