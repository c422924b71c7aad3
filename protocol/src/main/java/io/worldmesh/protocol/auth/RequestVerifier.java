package io.worldmesh.protocol.auth;

import javax.crypto.spec.SecretKeySpec;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Checks a request {@link RequestSigner} signed for this node, in this order: the headers are there
 * ({@code unsigned}), the signature matches ({@code bad_signature}), the timestamp is within the clock window
 * ({@code stale_timestamp}), the nonce is new ({@code replayed}, or {@code replay_cache_full} at the cache's bound).
 * Only a request that passes all four takes a place in the replay cache. The window is measured on the latest
 * clock reading seen, so a clock stepped back cannot bring an evicted nonce's timestamp into the window again.
 */
public final class RequestVerifier {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,15}");
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Pattern MAC = Pattern.compile("[A-Za-z0-9_-]{" + Hmac.B64_SHA256_CHARS + "}");

    private final SecretKeySpec key;
    private final String self;
    private final long windowMillis;
    private final ReplayCache seen;
    private final AtomicLong latestNow = new AtomicLong(Long.MIN_VALUE);

    /** {@code self}: this node's id, which the signer named as the receiver. */
    public RequestVerifier(ClusterKeys keys, String self, AuthSettings settings) {
        this.key = keys.nodeRequests();
        this.self = self;
        this.windowMillis = settings.clockWindow().toMillis();
        this.seen = new ReplayCache(settings.replayCacheEntries());
    }

    /** {@code header}: the request's header by (lower-case) name, null when absent. */
    public AuthVerdict verify(String method, String pathAndQuery, UnaryOperator<String> header, byte[] body,
                              long nowMillis) {
        String signer = header.apply(RequestSigner.SIGNER);
        String timestamp = header.apply(RequestSigner.TIMESTAMP);
        String nonce = header.apply(RequestSigner.NONCE);
        String signature = header.apply(RequestSigner.SIGNATURE);
        if (signer == null || timestamp == null || nonce == null || signature == null) {
            return new AuthVerdict.Refused(AuthRefusal.UNSIGNED, "the request is not signed (headers "
                    + RequestSigner.SIGNER + ", " + RequestSigner.TIMESTAMP + ", " + RequestSigner.NONCE + ", "
                    + RequestSigner.SIGNATURE + ")");
        }
        if (!ID.matcher(signer).matches() || !TIMESTAMP.matcher(timestamp).matches()
                || !NONCE.matcher(nonce).matches() || !MAC.matcher(signature).matches()) {
            return new AuthVerdict.Refused(AuthRefusal.BAD_SIGNATURE, "malformed signature headers");
        }
        long signedAt = Long.parseLong(timestamp);
        String expected = Hmac.signB64(key,
                RequestSigner.canonical(method, pathAndQuery, signer, self, signedAt, nonce, body));
        if (!Hmac.sameText(signature, expected)) {
            return new AuthVerdict.Refused(AuthRefusal.BAD_SIGNATURE, "the signature does not match this request "
                    + "to node " + self + " (another cluster secret, or changed on the way)");
        }
        long now = latestNow.accumulateAndGet(nowMillis, Math::max);
        if (Math.abs(now - signedAt) > windowMillis) {
            long off = signedAt - now;
            return new AuthVerdict.Refused(AuthRefusal.STALE_TIMESTAMP, "signed at " + Math.abs(off) + " ms "
                    + (off < 0 ? "behind" : "ahead of") + " this node's clock, outside the window of ±" + windowMillis
                    + " ms (are the clocks apart?)");
        }
        return switch (seen.remember(Base64.getUrlDecoder().decode(nonce), signedAt + windowMillis, now)) {
            case FIRST -> new AuthVerdict.Verified(signer);
            case AGAIN -> new AuthVerdict.Refused(AuthRefusal.REPLAYED, "this nonce was seen within the window");
            case FULL -> new AuthVerdict.Refused(AuthRefusal.REPLAY_CACHE_FULL, "the replay cache holds "
                    + seen.size() + " nonces, its bound; try again");
        };
    }
}
