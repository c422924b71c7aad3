package io.worldmesh.protocol.handover;

import io.worldmesh.api.CellRef;
import io.worldmesh.protocol.token.Base64Spellings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class HandoverTokensTest {

    private final HandoverTokens tokens = new HandoverTokens("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));
    private final CellRef from = new CellRef(1, 2);
    private final CellRef to = new CellRef(2, 2);
    private final String token = tokens.mint(UUID.fromString("0f6b1c1e-2a3b-4c5d-8e7f-112233445566"), "p7", from, to,
            3, 1_000);

    @Test
    void aMintedTokenVerifiesForWhatItWasMintedFor() {
        assertThat(tokens.verify(token, "p7", from, to, 3, 1_000)).isTrue();
        assertThat(tokens.verify(token, "p8", from, to, 3, 1_000)).isFalse();
        assertThat(tokens.verify(token, "p7", to, from, 3, 1_000)).isFalse();
        assertThat(tokens.verify(token, "p7", from, to, 4, 1_000)).isFalse();
        assertThat(tokens.verify(token, "p7", from, to, 3, 1_001)).isFalse();
    }

    @Test
    void aTokenHasOneSpellingOnly() {
        // Another spelling would be another key for the token's decision: a replayed PREPARE must not pass as new.
        assertThat(Base64Spellings.sameBytes(token)).hasSize(3)
                .allSatisfy(variant -> assertThat(tokens.verify(variant, "p7", from, to, 3, 1_000)).as(variant)
                        .isFalse());
        assertThat(tokens.verify(token.toUpperCase(java.util.Locale.ROOT), "p7", from, to, 3, 1_000)).isFalse();
    }
}
