package io.worldmesh.protocol.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class JsonOutTest {

    @Test
    void writesFixedDecimalNumbers() {
        assertThat(new JsonOut().number(12.3456, 2).toString()).isEqualTo("12.35");
        assertThat(new JsonOut().number(-0.004, 2).toString()).isEqualTo("0");
        assertThat(new JsonOut().number(-0.5, 2).toString()).isEqualTo("-0.5");
        assertThat(new JsonOut().number(3.0, 2).toString()).isEqualTo("3");
        assertThat(new JsonOut().number(0.05, 2).toString()).isEqualTo("0.05");
        assertThat(new JsonOut().number(Double.NaN, 2).toString()).isEqualTo("0");
        assertThat(new JsonOut().number(Long.MIN_VALUE).toString()).isEqualTo(Long.toString(Long.MIN_VALUE));
        assertThat(new JsonOut().number(1234567890L).toString()).isEqualTo("1234567890");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "quote\"back\\slash", "tab\tnew\nline\u0001", "émoji 🙂 ok", "lone \ud800 surrogate"})
    void escapedStringsParseBackToTheSameText(String s) throws Exception {
        String json = new JsonOut().string(s).toString();
        String back = new ObjectMapper().readValue(json, String.class);
        assertThat(back).isEqualTo(s);
    }
}
