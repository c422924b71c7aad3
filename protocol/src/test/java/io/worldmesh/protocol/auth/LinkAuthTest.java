package io.worldmesh.protocol.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LinkAuthTest {

    private static final byte[] SECRET = "0123456789abcdef-cluster".getBytes(StandardCharsets.UTF_8);
    private final LinkAuth auth = new LinkAuth(ClusterKeys.of(SECRET, "c1"));
    private final byte[] nonce = new byte[LinkAuth.NONCE_BYTES];
    private final String challenge;

    LinkAuthTest() {
        Arrays.fill(nonce, (byte) 7);
        challenge = LinkAuth.challenge(nonce);
    }

    private static AuthRefusal refusal(AuthVerdict v) {
        return v instanceof AuthVerdict.Refused r ? r.refusal() : null;
    }

    @Test
    void theGatewaysAnswerToTheChallengeChecks() {
        String answer = auth.answer(challenge, "g1", "n1").orElseThrow();
        assertThat(auth.check(answer, "g1", "n1", nonce)).isEqualTo(new AuthVerdict.Verified("g1"));
    }

    @Test
    void anAnswerIsGoodForItsOwnLinkOnly() {
        String answer = auth.answer(challenge, "g1", "n1").orElseThrow();
        byte[] other = nonce.clone();
        other[0]++;
        assertThat(refusal(auth.check(answer, "g1", "n1", other))).as("another link's challenge")
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
        assertThat(refusal(auth.check(answer, "g2", "n1", nonce))).as("another gateway")
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
        assertThat(refusal(auth.check(answer, "g1", "n2", nonce))).as("another node")
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
        String wrongKey = new LinkAuth(ClusterKeys.of("another-cluster-secret".getBytes(StandardCharsets.UTF_8), "c1"))
                .answer(challenge, "g1", "n1").orElseThrow();
        assertThat(refusal(auth.check(wrongKey, "g1", "n1", nonce))).as("another secret")
                .isEqualTo(AuthRefusal.BAD_SIGNATURE);
    }

    @Test
    void anythingButAnAnswerIsUnsigned() {
        for (String text : new String[] {"", challenge, "worldmesh-link v1 answer ", "hello",
                auth.answer(challenge, "g1", "n1").orElseThrow() + "A"}) {
            assertThat(refusal(auth.check(text, "g1", "n1", nonce))).as(text).isEqualTo(AuthRefusal.UNSIGNED);
        }
    }

    @Test
    void onlyAChallengeIsAnswered() {
        assertThat(auth.answer("hello", "g1", "n1")).isEmpty();
        assertThat(auth.answer(challenge + "A", "g1", "n1")).isEmpty();
        assertThat(auth.answer(auth.answer(challenge, "g1", "n1").orElseThrow(), "g1", "n1")).isEmpty();
    }
}
