package io.worldmesh.protocol.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClientMessageDecoderTest {

    private final ClientMessageDecoder decoder = new ClientMessageDecoder();

    @Test
    void decodesHelloInputAndPing() {
        assertThat(decoder.decode("{\"type\":\"hello\",\"v\":1,\"name\":\" alice \",\"resume\":\"p1.x\"}"))
                .isEqualTo(new Decoded.Ok(new ClientMessage.Hello(1, "alice", "p1.x")));
        assertThat(decoder.decode("{\"type\":\"input\",\"seq\":3,\"move\":{\"x\":0.6,\"z\":-0.8},\"yaw\":1.5}"))
                .isEqualTo(new Decoded.Ok(new ClientMessage.Input(3, new Vec2(0.6, -0.8), 1.5, null)));
        assertThat(decoder.decode("{\"type\":\"ping\",\"id\":9,\"extra\":true}"))
                .isEqualTo(new Decoded.Ok(new ClientMessage.Ping(9)));
        assertThat(decoder.decode("{\"type\":\"echo\",\"id\":-4}"))
                .isEqualTo(new Decoded.Ok(new ClientMessage.Echo(-4)));
    }

    @Test
    void clampsLongDirectionsAndNormalisesYaw() {
        Decoded d = decoder.decode("{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":30,\"z\":40},\"yaw\":7,"
                + "\"pos\":{\"x\":1,\"z\":2}}");
        ClientMessage.Input in = (ClientMessage.Input) ((Decoded.Ok) d).message();
        assertThat(in.move().x()).isCloseTo(0.6, within(1e-12));
        assertThat(in.move().z()).isCloseTo(0.8, within(1e-12));
        assertThat(in.yaw()).isCloseTo(7 - 2 * Math.PI, within(1e-12));
        assertThat(in.pos()).isEqualTo(new Vec2(1, 2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":                                                      | BAD_JSON",
        "not json                                                        | BAD_JSON",
        "[1,2]                                                           | BAD_JSON",
        "42                                                              | BAD_JSON",
        "{\"kind\":\"input\"}                                            | UNKNOWN_TYPE",
        "{\"type\":\"teleport\"}                                         | UNKNOWN_TYPE",
        "{\"type\":7}                                                    | UNKNOWN_TYPE",
        "{\"type\":\"input\",\"move\":{\"x\":1,\"z\":0},\"yaw\":0}       | MISSING_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"yaw\":0}                        | MISSING_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1},\"yaw\":0}     | MISSING_FIELD",
        "{\"type\":\"hello\",\"v\":1}                                    | MISSING_FIELD",
        "{\"type\":\"echo\"}                                             | MISSING_FIELD",
        "{\"type\":\"echo\",\"id\":0.5}                                  | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":0,\"move\":{\"x\":1,\"z\":0},\"yaw\":0}      | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":\"x\",\"move\":{\"x\":1,\"z\":0},\"yaw\":0}  | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1.5,\"move\":{\"x\":1,\"z\":0},\"yaw\":0}    | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1e999,\"z\":0},\"yaw\":0}  | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1e300,\"z\":0},\"yaw\":0}  | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":[1,0],\"yaw\":0}                  | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":\"n\"}  | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":NaN}    | BAD_JSON",
        "{\"type\":\"hello\",\"v\":1,\"name\":\"   \"}                            | BAD_FIELD",
        "{\"type\":\"hello\",\"v\":1,\"name\":\"abcdefghijklmnopqrstuvwxyz\"}     | BAD_FIELD",
        "{\"type\":\"hello\",\"v\":1,\"name\":\"a\",\"resume\":5}                 | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":0,\"action\":5}          | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":0,\"action\":{}}         | MISSING_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":0,\"action\":{\"name\":\"Use!\"}} | BAD_FIELD",
        "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":0,\"action\":{\"name\":\"use\",\"t\":[1]}} | BAD_FIELD",
        "{\"type\":\"ping\",\"id\":7} x                                             | BAD_JSON",
        "{\"type\":\"ping\",\"id\":7}{\"type\":\"ping\",\"id\":8}                  | BAD_JSON",
    })
    void refusesBadMessagesWithAPreciseCode(String text, ErrorCode code) {
        Decoded d = decoder.decode(text.strip());
        assertThat(d).isInstanceOf(Decoded.Invalid.class);
        assertThat(((Decoded.Invalid) d).code()).isEqualTo(code);
        assertThat(((Decoded.Invalid) d).message()).isNotBlank();
    }

    @Test
    void decodesAGameAction() {
        Decoded d = decoder.decode("{\"type\":\"input\",\"seq\":2,\"move\":{\"x\":0,\"z\":0},\"yaw\":0,"
                + "\"action\":{\"name\":\"use\",\"target\":\"e3\",\"power\":2,\"now\":true}}");
        ClientMessage.Input in = (ClientMessage.Input) ((Decoded.Ok) d).message();
        assertThat(in.action()).isEqualTo(new ClientMessage.GameAction("use",
                java.util.Map.of("target", "e3", "power", 2.0, "now", true)));
    }

    @Test
    void aVersionBeyondIntRangeIsNotMistakenForOne() {
        Decoded d = decoder.decode("{\"type\":\"hello\",\"v\":4294967297,\"name\":\"a\"}");
        assertThat(((ClientMessage.Hello) ((Decoded.Ok) d).message()).version()).isEqualTo(4294967297L);
    }

    @Test
    void refusesDeeplyNestedJsonCheaply() {
        String deep = "{\"type\":\"ping\",\"id\":1,\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        Decoded d = decoder.decode(deep);
        assertThat(d).isInstanceOf(Decoded.Invalid.class);
        assertThat(((Decoded.Invalid) d).code()).isEqualTo(ErrorCode.BAD_JSON);
    }
}
