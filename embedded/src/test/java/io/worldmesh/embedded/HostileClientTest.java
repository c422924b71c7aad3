package io.worldmesh.embedded;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that attack the gateway's resources rather than its protocol: compressed frames that would inflate on
 * the event loop, and a client that sends but never reads. As in {@link BadInputTest}, a well-behaved
 * {@link Bystander} connected meanwhile must go on being served.
 */
class HostileClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** docs/protocol.md: what the gateway holds for one client, at most, before it closes it with 1008. */
    private static final long MAX_QUEUED_BYTES = 1024 * 1024;

    @RegisterExtension
    static final ServedWorld served = new ServedWorld(EmbeddedWorld.Config::forTests);

    private static EmbeddedWorld world;
    private static Bystander bystander;

    private final List<RawSocket> opened = new ArrayList<>();

    @BeforeAll
    static void aliases() {
        world = served.world();
        bystander = served.bystander();
    }

    @AfterEach
    void closeWhatTheTestOpened() throws IOException {
        for (RawSocket s : opened) {
            s.close();
        }
    }

    // 1. Compression: nothing bounds inflation, so the gateway offers none.

    @ParameterizedTest
    @ValueSource(strings = {"permessage-deflate; client_max_window_bits", "permessage-deflate",
            "x-webkit-deflate-frame", "deflate-frame"})
    void anOfferOfCompressionIsNotAccepted(String offer) throws IOException {
        RawSocket s = open(0, offer);
        assertThat(s.upgrade().status()).as("upgrade status").isEqualTo(101);
        assertThat(s.upgrade().headers()).as("upgrade response headers").doesNotContainKey("sec-websocket-extensions");
    }

    @Test
    void aCompressedFrameClosesTheConnectionWith1002() throws IOException {
        RawSocket s = open(0, "permessage-deflate; client_max_window_bits");
        // A ping, deflated and flagged compressed (RSV1): a server that inflated it would answer it.
        s.send(RawSocket.FIN | RawSocket.RSV1 | RawSocket.TEXT, deflate("{\"type\":\"ping\",\"id\":7}"));
        List<String> answers = new ArrayList<>();
        RawSocket.Frame close = s.readUntilClose(answers::add);
        assertThat(answers).as("answers before the close").isEmpty();
        assertThat(close).as("close frame").isNotNull();
        assertThat(close.closeCode()).as("close code").isEqualTo(1002);
    }

    // 2. A client that sends but never reads

    @Test
    void aClientThatPingsButNeverReadsIsHeldToABoundThenClosedWith1008() throws IOException {
        int connections = world.gateway().connections();
        double notReading = counter("worldmesh.gateway.not.reading", null);
        double droppedReplies = counter("worldmesh.gateway.dropped", "reply");
        // A small receive window that is never read: everything the server sends piles up on the server's side.
        RawSocket s = open(4096, null);
        s.sendText("{\"type\":\"hello\",\"v\":1,\"name\":\"deaf\"}");
        byte[] pings = pings(1000);
        double maxQueued = 0;
        int sent = 0;
        try {
            while (sent < 400_000 && counter("worldmesh.gateway.not.reading", null) == notReading) {
                s.sendRaw(pings);
                sent += 1000;
                maxQueued = Math.max(maxQueued, queuedBytes());
            }
        } catch (IOException closedByServer) {
            // The gateway closed the connection under our feet: what this test waits for.
        }
        int pingsSent = sent;
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(counter("worldmesh.gateway.not.reading", null))
                .as("closed for not reading, after %d pings", pingsSent).isEqualTo(notReading + 1));
        // Gone, not just closing: a client closed for not reading has its TCP connection cut at once.
        await().atMost(TIMEOUT).until(() -> world.gateway().connections() == connections);
        assertThat(maxQueued).as("bytes queued for the client, at most, during %d pings", sent)
                .isLessThanOrEqualTo(MAX_QUEUED_BYTES);
        assertThat(counter("worldmesh.gateway.dropped", "reply")).as("pongs dropped").isGreaterThan(droppedReplies);
        assertThat(queuedBytes()).as("bytes queued once it is gone").isLessThan(64 * 1024);
    }

    @Test
    void aClientThatSendsPingFramesButNeverReadsIsClosedWith1008() throws IOException {
        int connections = world.gateway().connections();
        double notReading = counter("worldmesh.gateway.not.reading", null);
        RawSocket s = open(4096, null);
        s.sendText("{\"type\":\"hello\",\"v\":1,\"name\":\"deaf-pinger\"}");
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            frames.writeBytes(RawSocket.frame(RawSocket.FIN | 0x9, new byte[125])); // ping frames, answered by pongs
        }
        byte[] pings = frames.toByteArray();
        int sent = 0;
        long giveUp = System.nanoTime() + TIMEOUT.toNanos(); // the gateway reads only so many frames a second
        try {
            while (System.nanoTime() < giveUp && counter("worldmesh.gateway.not.reading", null) == notReading) {
                s.sendRaw(pings);
                sent += 1000;
            }
        } catch (IOException closedByServer) {
            // The gateway cut the connection: what this test waits for.
        }
        int pingsSent = sent;
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(counter("worldmesh.gateway.not.reading", null))
                .as("closed for not reading, after %d ping frames", pingsSent).isEqualTo(notReading + 1));
        await().atMost(TIMEOUT).until(() -> world.gateway().connections() == connections);
    }

    // Helpers

    private RawSocket open(int receiveBufferBytes, String extensions) throws IOException {
        RawSocket s = RawSocket.open(world.wsUri(), receiveBufferBytes, extensions);
        opened.add(s);
        return s;
    }

    /** {@code n} ping frames in one buffer, so that a flood costs the test few system calls. */
    private static byte[] pings(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(RawSocket.frame(RawSocket.FIN | RawSocket.TEXT,
                    ("{\"type\":\"ping\",\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return out.toByteArray();
    }

    /** {@code text} as a permessage-deflate payload: raw deflate, flushed, without the trailing 00 00 ff ff. */
    private static byte[] deflate(String text) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(text.getBytes(StandardCharsets.UTF_8));
        byte[] buf = new byte[1024];
        int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        d.end();
        return Arrays.copyOf(buf, n - 4);
    }

    private static double queuedBytes() {
        Gauge g = world.registry().find("worldmesh.gateway.queued.bytes").gauge();
        assertThat(g).as("gauge worldmesh.gateway.queued.bytes").isNotNull();
        return g.value();
    }

    private static double counter(String name, String kind) {
        var search = world.registry().find(name);
        Counter c = (kind == null ? search : search.tag("kind", kind)).counter();
        return c == null ? 0 : c.count();
    }
}
