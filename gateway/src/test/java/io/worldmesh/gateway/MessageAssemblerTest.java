package io.worldmesh.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class MessageAssemblerTest {

    private final MessageAssembler messages = new MessageAssembler(100);

    private static WebSocketFrame more(byte[] bytes, boolean fin) {
        return WebSocketFrame.continuationFrame(Buffer.buffer(bytes), fin);
    }

    @Test
    void aTextFrameIsAMessageAndFragmentsAreJoined() {
        assertThat(messages.add(WebSocketFrame.textFrame("{\"a\":1}", true)))
                .isEqualTo(new MessageAssembler.Text("{\"a\":1}"));
        assertThat(messages.add(WebSocketFrame.textFrame("{\"a\"", false)))
                .isInstanceOf(MessageAssembler.Incomplete.class);
        assertThat(messages.add(WebSocketFrame.pingFrame(Buffer.buffer("p")))).as("a ping between fragments")
                .isInstanceOf(MessageAssembler.Incomplete.class);
        assertThat(messages.add(more(":2}".getBytes(StandardCharsets.UTF_8), true)))
                .isEqualTo(new MessageAssembler.Text("{\"a\":2}"));
    }

    @Test
    void aCharacterSplitAcrossFramesAndAGenuineReplacementCharacterAreText() {
        byte[] euro = "\u20ac\uFFFD".getBytes(StandardCharsets.UTF_8);
        messages.add(WebSocketFrame.textFrame("", false));
        assertThat(messages.add(more(Arrays.copyOfRange(euro, 0, 1), false)))
                .isInstanceOf(MessageAssembler.Incomplete.class);
        assertThat(messages.add(more(Arrays.copyOfRange(euro, 1, euro.length), true)))
                .isEqualTo(new MessageAssembler.Text("\u20ac\uFFFD"));
    }

    @Test
    void textThatIsNotUtf8IsSaidSoAndNothingAfterItCounts() {
        // An overlong '/', a surrogate, past U+10FFFF, a truncated sequence: each is not UTF-8.
        for (String hex : new String[] {"c0af", "eda080", "f4908080", "e282"}) {
            MessageAssembler m = new MessageAssembler(100);
            m.add(WebSocketFrame.textFrame("", false));
            assertThat(m.add(more(HexFormat.of().parseHex(hex), true))).as(hex)
                    .isInstanceOf(MessageAssembler.NotUtf8.class);
            assertThat(m.add(WebSocketFrame.textFrame("fine", true))).isInstanceOf(MessageAssembler.Incomplete.class);
        }
    }

    @Test
    void binaryMessagesAreCountedNotKept() {
        assertThat(messages.add(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[60]), false)))
                .isInstanceOf(MessageAssembler.Incomplete.class);
        assertThat(messages.add(more(new byte[40], true))).isInstanceOf(MessageAssembler.Binary.class);
    }

    @Test
    void aMessagePastTheBoundIsTooBigEvenInFramesUnderIt() {
        assertThat(messages.add(WebSocketFrame.textFrame("x".repeat(100), true))).as("exactly the bound")
                .isEqualTo(new MessageAssembler.Text("x".repeat(100)));
        assertThat(messages.add(WebSocketFrame.textFrame("x".repeat(60), false)))
                .isInstanceOf(MessageAssembler.Incomplete.class);
        assertThat(messages.add(more(new byte[41], true))).isInstanceOf(MessageAssembler.TooBig.class);
        assertThat(messages.add(WebSocketFrame.textFrame("late", true)))
                .isInstanceOf(MessageAssembler.Incomplete.class);
        assertThat(new MessageAssembler(100).add(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[101]), true)))
                .isInstanceOf(MessageAssembler.TooBig.class);
    }
}
