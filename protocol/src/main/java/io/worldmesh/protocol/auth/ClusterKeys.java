package io.worldmesh.protocol.auth;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

/**
 * The keys the cluster secret gives, one per purpose: {@code HMAC-SHA256(secret, label + "\n" + clusterId)}. A
 * signature made for one purpose is never valid for another, nor as a handover or resume token (those are made
 * with the secret itself), nor in another cluster that happens to share the secret.
 */
public final class ClusterKeys {

    static final String NODE_REQUESTS = "worldmesh node-request v1";
    static final String GATEWAY_LINKS = "worldmesh gateway-link v1";

    private final SecretKeySpec nodeRequests;
    private final SecretKeySpec gatewayLinks;

    private ClusterKeys(SecretKeySpec nodeRequests, SecretKeySpec gatewayLinks) {
        this.nodeRequests = nodeRequests;
        this.gatewayLinks = gatewayLinks;
    }

    /** {@code secret}: the cluster secret (at least 16 bytes); {@code clusterId}: the directory's id for it. */
    public static ClusterKeys of(byte[] secret, String clusterId) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the cluster secret must be at least 16 bytes");
        }
        SecretKeySpec root = new SecretKeySpec(secret.clone(), Hmac.ALGORITHM);
        return new ClusterKeys(derive(root, NODE_REQUESTS, clusterId), derive(root, GATEWAY_LINKS, clusterId));
    }

    private static SecretKeySpec derive(SecretKeySpec root, String label, String clusterId) {
        return new SecretKeySpec(Hmac.sign(root, (label + "\n" + clusterId).getBytes(StandardCharsets.UTF_8)),
                Hmac.ALGORITHM);
    }

    SecretKeySpec nodeRequests() {
        return nodeRequests;
    }

    SecretKeySpec gatewayLinks() {
        return gatewayLinks;
    }
}
