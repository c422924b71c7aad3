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
    void aTokenHasOneSpellingOnly() {
        String genuine = tokens.sign("p42");
        // A 32-byte MAC ends in a character with two bits a decoder ignores: three other spellings decode the same.
        assertThat(Base64Spellings.sameBytes(genuine)).hasSize(3)
                .allSatisfy(variant -> assertThat(tokens.verify(variant)).as(variant).isEmpty());
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
