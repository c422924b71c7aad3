package io.worldmesh.protocol.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/** HMAC-SHA256 and SHA-256, and the one base64 spelling (url-safe, unpadded) this package writes. */
final class Hmac {

    static final String ALGORITHM = "HmacSHA256";
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** A 32-byte MAC or digest in {@link #B64}. */
    static final int B64_SHA256_CHARS = 43;

    /** One instance per thread: looking an algorithm up costs more than the MAC of a handover message. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    });

    private Hmac() {
    }

    static byte[] sign(SecretKeySpec key, byte[] message) {
        Mac mac = MACS.get();
        try {
            mac.init(key); // resets it, whatever an earlier use left
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad HmacSHA256 key", e);
        }
        return mac.doFinal(message);
    }

    static String signB64(SecretKeySpec key, String message) {
        return B64.encodeToString(sign(key, message.getBytes(StandardCharsets.UTF_8)));
    }

    static String sha256B64(byte[] bytes) {
        return B64.encodeToString(DIGESTS.get().digest(bytes)); // digest() resets it
    }

    /**
     * Constant-time comparison of a received MAC with the expected one, as text: decoding first would let the
     * unused bits of the last base64 character spell one MAC several ways.
     */
    static boolean sameText(String received, String expected) {
        return MessageDigest.isEqual(received.getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII));
    }
}
