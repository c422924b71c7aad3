package io.worldmesh.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Joins one connection's data frames into messages, up to a bound on a message's size, and decodes text strictly:
 * RFC 6455 wants a text message that is not valid UTF-8 to fail the connection (1007), where Vert.x's own
 * aggregation would put U+FFFD in its place and pass it on. Netty has already checked each frame's size and that
 * continuations follow a first frame. Not thread-safe: one per connection, on its context.
 */
final class MessageAssembler {

    /** What a frame completed. */
    sealed interface Result permits Incomplete, Text, Binary, TooBig, NotUtf8 {
    }

    /** Nothing yet (or a control frame, or anything after the connection broke a bound). */
    record Incomplete() implements Result {
    }

    record Text(String text) implements Result {
    }

    /** A binary message; its bytes are not kept, since the protocol has no use for them. */
    record Binary() implements Result {
    }

    /** The message went past the bound: close with 1009. */
    record TooBig() implements Result {
    }

    /** A text message that is not valid UTF-8: close with 1007. */
    record NotUtf8() implements Result {
    }

    private static final Incomplete INCOMPLETE = new Incomplete();

    private final int maxMessageBytes;
    private Buffer text;
    private boolean binary;
    private int bytes;
    private boolean broken;

    MessageAssembler(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    Result add(WebSocketFrame frame) {
        if (broken || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
            return INCOMPLETE;
        }
        Buffer data = frame.binaryData();
        if (!frame.isContinuation()) {
            binary = frame.isBinary();
            bytes = 0;
            text = null;
        }
        bytes += data.length();
        if (bytes > maxMessageBytes) {
            broken = true;
            text = null;
            return new TooBig();
        }
        if (!binary) {
            if (text == null && frame.isFinal()) {
                return decode(data); // the usual case: one frame, nothing to join
            }
            text = text == null ? data.copy() : text.appendBuffer(data);
        }
        if (!frame.isFinal()) {
            return INCOMPLETE;
        }
        if (binary) {
            return new Binary();
        }
        Buffer whole = text;
        text = null;
        return decode(whole);
    }

    private Result decode(Buffer utf8) {
        byte[] raw = utf8.getBytes();
        String s = new String(raw, StandardCharsets.UTF_8);
        // The lenient decoder is the fast one; only text holding a replacement character needs a strict look,
        // which tells a genuine U+FFFD from a malformed sequence.
        if (s.indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw));
            } catch (CharacterCodingException e) {
                broken = true;
                return new NotUtf8();
            }
        }
        return new Text(s);
    }
}
