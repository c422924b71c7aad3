package io.worldmesh.protocol.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlayerNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Zoë", "名前", "Ωmega 7", "\uD83D\uDE42", "a\u200Db", "  bob  ", "x",
            "abcdefghijklmnopqrstuvwx", "e\u0301", "\u05E9\u05DC\u05D5\u05DD"})
    void readableNamesPass(String name) {
        assertThat(PlayerNames.isReadable(name)).as("'%s'", name).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abcdefghijklmnopqrstuvwxy", "a\u0000b", "a\tb", "a\nb", "a\u007Fb",
            "a\u0085b", "a\u009Bb", "\uD800", "a\uDC00", "a\uDBFF", "\uDE42\uD83D", "a\u2028b", "a\u2029b",
            "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db", "evil\u202Egnp.exe", "a\u2066b", "a\u2067b", "a\u2068b",
            "a\u2069b", "\u200B", "\u200B\u200D", "\u0301", "\u3000"})
    void unreadableNamesAreRefused(String name) {
        assertThat(PlayerNames.isReadable(name)).as("'%s'", name.codePoints()
                .mapToObj(Integer::toHexString).toList()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "a\\udc00", "\\u202e", "\\u2066x", "\\u0007"})
    void aHelloWithSuchANameIsABadField(String escaped) {
        Decoded d = new ClientMessageDecoder().decode("{\"type\":\"hello\",\"v\":1,\"name\":\"" + escaped + "\"}");
        assertThat(d).isInstanceOfSatisfying(Decoded.Invalid.class, i -> {
            assertThat(i.code()).isEqualTo(ErrorCode.BAD_FIELD);
            assertThat(i.message()).contains("a person can read");
        });
    }
}
