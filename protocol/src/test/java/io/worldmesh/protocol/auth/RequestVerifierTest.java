package io.worldmesh.protocol.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RequestVerifierTest {

    private static final byte[] SECRET = "0123456789abcdef-cluster".getBytes(StandardCharsets.UTF_8);
    private static final ClusterKeys KEYS = ClusterKeys.of(SECRET, "c1");
    private static final long T = 1_700_000_000_000L;
    private static final byte[] BODY = "{\"player_id\":\"p1\",\"handover_token\":\"t\"}".getBytes(StandardCharsets.UTF_8);
    private static final String PATH = "/handover/commit";

    private final RequestSigner n1 = new RequestSigner(KEYS, "n1", new SplittableRandom(7));
    private final RequestVerifier n2 = new RequestVerifier(KEYS, "n2", AuthSettings.DEFAULTS);

    private AuthVerdict verify(RequestVerifier v, String method, String path, Map<String, String> headers, byte[] body,
                               long now) {
        return v.verify(method, path, headers::get, body, now);
    }

    private AuthVerdict verify(Map<String, String> headers, long now) {
        return verify(n2, "POST", PATH, headers, BODY, now);
    }

    private static AuthRefusal refusal(AuthVerdict v) {
        return v instanceof AuthVerdict.Refused r ? r.refusal() : null;
    }

    @Test
    void aSignedRequestVerifiesAndNamesItsSigner() {
        assertThat(verify(n1.sign("POST", PATH, "n2", BODY, T), T + 40)).isEqualTo(new AuthVerdict.Verified("n1"));
    }

    @Test
    void aChangedBodyPathQueryMethodOrReceiverIsABadSignature() {
        Map<String, String> h = n1.sign("POST", "/bench/handover?player=p1", "n2", new byte[0], T);
        assertThat(refusal(verify(n2, "POST", "/bench/handover?player=p2", h, new byte[0], T)))
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
        assertThat(refusal(verify(n2, "POST", "/bench/handover", h, new byte[0], T)))
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
        assertThat(refusal(verify(n2, "GET", "/bench/handover?player=p1", h, new byte[0], T)))
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
        assertThat(refusal(verify(n2, "POST", "/bench/handover?player=p1", h, new byte[] {' '}, T)))
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
        Map<String, String> body = n1.sign("POST", PATH, "n2", BODY, T);
        byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("p1", "p2").getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(verify(n2, "POST", PATH, body, tampered, T))).isEqualTo(AuthRefusal.BAD_SIGNATURE);
        // Signed for n2, shown to n3: refused there, so one node's traffic cannot be replayed at another.
        assertThat(refusal(verify(new RequestVerifier(KEYS, "n3", AuthSettings.DEFAULTS), "POST", PATH, body, BODY, T)))
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
        // The untouched request still passes: the refusals above took no place in the replay cache.
        assertThat(verify(body, T)).isInstanceOf(AuthVerdict.Verified.class);
    }

    @Test
    void aChangedHeaderIsABadSignature() {
        Map<String, String> h = n1.sign("POST", PATH, "n2", BODY, T);
        for (String name : new String[] {RequestSigner.SIGNER, RequestSigner.TIMESTAMP, RequestSigner.NONCE}) {
            Map<String, String> changed = new HashMap<>(h);
            String v = changed.get(name);
            changed.put(name, v.substring(0, v.length() - 1) + (v.endsWith("1") ? "2" : "1"));
            assertThat(refusal(verify(changed, T))).as(name).isEqualTo(AuthRefusal.BAD_SIGNATURE);
        }
        Map<String, String> forged = new HashMap<>(h);
        forged.put(RequestSigner.SIGNATURE, "A".repeat(43));
        assertThat(refusal(verify(forged, T))).isEqualTo(AuthRefusal.BAD_SIGNATURE);
        forged.put(RequestSigner.SIGNATURE, "not base64!");
        assertThat(refusal(verify(forged, T))).isEqualTo(AuthRefusal.BAD_SIGNATURE);
    }

    @Test
    void anotherSecretOrClusterIsABadSignature() {
        byte[] other = "another-cluster-secret".getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(verify(new RequestSigner(ClusterKeys.of(other, "c1"), "n1").sign("POST", PATH, "n2", BODY,
                T), T))).isEqualTo(AuthRefusal.BAD_SIGNATURE);
        assertThat(refusal(verify(new RequestSigner(ClusterKeys.of(SECRET, "c2"), "n1").sign("POST", PATH, "n2", BODY,
                T), T))).isEqualTo(AuthRefusal.BAD_SIGNATURE);
    }

    @Test
    void aMacWithTheSecretItselfIsNoSignature() {
        // Handover and resume tokens are MACs with the secret itself; the request key is derived, so none of them,
        // nor anything else made with the bare secret, signs a request.
        Map<String, String> h = new HashMap<>(n1.sign("POST", PATH, "n2", BODY, T));
        String canonical = RequestSigner.canonical("POST", PATH, "n1", "n2", T, h.get(RequestSigner.NONCE), BODY);
        h.put(RequestSigner.SIGNATURE, Hmac.signB64(new javax.crypto.spec.SecretKeySpec(SECRET, Hmac.ALGORITHM),
                canonical));
        assertThat(refusal(verify(h, T))).isEqualTo(AuthRefusal.BAD_SIGNATURE);
    }

    @Test
    void aMissingHeaderIsUnsigned() {
        Map<String, String> h = n1.sign("POST", PATH, "n2", BODY, T);
        for (String name : h.keySet()) {
            Map<String, String> missing = new HashMap<>(h);
            missing.remove(name);
            AuthVerdict v = verify(missing, T);
            assertThat(refusal(v)).as(name).isEqualTo(AuthRefusal.UNSIGNED);
            assertThat(((AuthVerdict.Refused) v).reason()).contains(RequestSigner.SIGNATURE);
        }
        assertThat(refusal(verify(Map.of(), T))).isEqualTo(AuthRefusal.UNSIGNED);
    }

    @Test
    void aTimestampOutsideTheWindowIsStaleEitherWay() {
        long window = AuthSettings.DEFAULTS.clockWindow().toMillis();
        assertThat(verify(n1.sign("POST", PATH, "n2", BODY, T - window), T)).isInstanceOf(AuthVerdict.Verified.class);
        assertThat(verify(n1.sign("POST", PATH, "n2", BODY, T + window), T)).isInstanceOf(AuthVerdict.Verified.class);
        AuthVerdict old = verify(n1.sign("POST", PATH, "n2", BODY, T - window - 1), T);
        assertThat(refusal(old)).isEqualTo(AuthRefusal.STALE_TIMESTAMP);
        assertThat(((AuthVerdict.Refused) old).reason()).contains("30001 ms behind");
        assertThat(refusal(verify(n1.sign("POST", PATH, "n2", BODY, T + window + 1), T)))
                .isEqualTo(AuthRefusal.STALE_TIMESTAMP);
    }

    @Test
    void aReplayIsRefusedWhileItsTimestampIsInTheWindowAndStaleAfter() {
        Map<String, String> h = n1.sign("POST", PATH, "n2", BODY, T);
        assertThat(verify(h, T)).isInstanceOf(AuthVerdict.Verified.class);
        assertThat(refusal(verify(h, T + 1))).isEqualTo(AuthRefusal.REPLAYED);
        assertThat(refusal(verify(h, T + 30_000))).isEqualTo(AuthRefusal.REPLAYED);
        // Another request moves the clock past the window; the nonce may go, the timestamp alone refuses it now.
        assertThat(verify(n1.sign("POST", PATH, "n2", BODY, T + 30_001), T + 30_001))
                .isInstanceOf(AuthVerdict.Verified.class);
        assertThat(refusal(verify(h, T + 30_001))).isEqualTo(AuthRefusal.STALE_TIMESTAMP);
        // A clock stepped back does not bring it into the window again: the window is on the latest reading.
        assertThat(refusal(verify(h, T + 10))).isEqualTo(AuthRefusal.STALE_TIMESTAMP);
    }

    @Test
    void atTheCacheBoundANewRequestIsRefusedWith503AndNoNonceIsForgottenEarly() {
        RequestVerifier small = new RequestVerifier(KEYS, "n2", new AuthSettings(Duration.ofSeconds(30), 2,
                Duration.ofSeconds(5)));
        Map<String, String> first = n1.sign("POST", PATH, "n2", BODY, T);
        Map<String, String> second = n1.sign("POST", PATH, "n2", BODY, T + 1_000);
        assertThat(verify(small, "POST", PATH, first, BODY, T)).isInstanceOf(AuthVerdict.Verified.class);
        assertThat(verify(small, "POST", PATH, second, BODY, T + 1_000)).isInstanceOf(AuthVerdict.Verified.class);
        AuthVerdict full = verify(small, "POST", PATH, n1.sign("POST", PATH, "n2", BODY, T + 2_000), BODY, T + 2_000);
        assertThat(refusal(full)).isEqualTo(AuthRefusal.REPLAY_CACHE_FULL);
        assertThat(AuthRefusal.REPLAY_CACHE_FULL.httpStatus()).isEqualTo(503);
        assertThat(refusal(verify(small, "POST", PATH, first, BODY, T + 2_000))).isEqualTo(AuthRefusal.REPLAYED);
        // Once the first request's timestamp has left the window, its place is free again.
        assertThat(verify(small, "POST", PATH, n1.sign("POST", PATH, "n2", BODY, T + 30_001), BODY, T + 30_001))
                .isInstanceOf(AuthVerdict.Verified.class);
        assertThat(refusal(verify(small, "POST", PATH, second, BODY, T + 30_001))).isEqualTo(AuthRefusal.REPLAYED);
    }

    @Test
    void settingsAreCheckedAllAtOnce() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AuthSettings(Duration.ZERO, 0, Duration.ZERO))
                .hasMessageContaining("clock window").hasMessageContaining("replay cache")
                .hasMessageContaining("link answer timeout");
    }
}
