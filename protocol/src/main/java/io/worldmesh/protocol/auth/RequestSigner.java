package io.worldmesh.protocol.auth;

import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Signs a request from one node (or tool) to another: HMAC-SHA256 with the cluster's node-request key over the
 * method, the path with its query, the signer, the receiving node, a timestamp (ms), a random nonce and the SHA-256
 * of the body. The four headers go with the request; {@link RequestVerifier} checks them.
 */
public final class RequestSigner {

    public static final String SIGNER = "x-worldmesh-node";
    public static final String TIMESTAMP = "x-worldmesh-timestamp";
    public static final String NONCE = "x-worldmesh-nonce";
    public static final String SIGNATURE = "x-worldmesh-signature";
    static final int NONCE_BYTES = 16;

    private final SecretKeySpec key;
    private final String self;
    private final RandomGenerator random;

    /** {@code self}: this process's id, as the receiver will see it in {@link #SIGNER}. */
    public RequestSigner(ClusterKeys keys, String self) {
        this(keys, self, new SecureRandom());
    }

    /** With the nonces drawn from {@code random}. */
    public RequestSigner(ClusterKeys keys, String self, RandomGenerator random) {
        this.key = keys.nodeRequests();
        this.self = self;
        this.random = random;
    }

    /** The headers of {@code method pathAndQuery} with {@code body}, for node {@code receiver}, at {@code nowMillis}. */
    public Map<String, String> sign(String method, String pathAndQuery, String receiver, byte[] body, long nowMillis) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String nonceText = Hmac.B64.encodeToString(nonce);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SIGNER, self);
        headers.put(TIMESTAMP, Long.toString(nowMillis));
        headers.put(NONCE, nonceText);
        headers.put(SIGNATURE, Hmac.signB64(key,
                canonical(method, pathAndQuery, self, receiver, nowMillis, nonceText, body)));
        return headers;
    }

    /** One field a line: none can hold a newline (an HTTP request line cannot, ids and the nonce are checked). */
    static String canonical(String method, String pathAndQuery, String signer, String receiver, long timestamp,
                            String nonce, byte[] body) {
        return String.join("\n", ClusterKeys.NODE_REQUESTS, method, pathAndQuery, signer, receiver,
                Long.toString(timestamp), nonce, Hmac.sha256B64(body));
    }
}
