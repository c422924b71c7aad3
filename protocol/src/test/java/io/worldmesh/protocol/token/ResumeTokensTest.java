package io.worldmesh.protocol.token;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResumeTokensTest {

    private final ResumeTokens tokens = new ResumeTokens("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void aSignedTokenNamesItsPlayer() {
        assertThat(tokens.verify(tokens.sign("p42"))).contains("p42");
    }

    @Test
    void forgedOrTamperedTokensAreRefused() {
        String genuine = tokens.sign("p42");
        assertThat(tokens.verify("p43" + genuine.substring(3))).isEmpty();
        assertThat(tokens.verify(genuine.substring(0, genuine.length() - 2) + "AA")).isEmpty();
        assertThat(tokens.verify("p42")).isEmpty();
        assertThat(tokens.verify("p42.!!!")).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        ResumeTokens other = new ResumeTokens("another-secret-of-16".getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify(genuine)).isEmpty();
    }

    @Test
    void shortSecretsAreRefused() {
        assertThatThrownBy(() -> new ResumeTokens(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTokenOfOneClusterIsWorthlessInAnother() {
        byte[] secret = "0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8);
        String token = new ResumeTokens(secret, "cluster-a").sign("p42");
        assertThat(new ResumeTokens(secret, "cluster-a").verify(token)).contains("p42");
        assertThat(new ResumeTokens(secret, "cluster-b").verify(token)).isEmpty();
    }
}
