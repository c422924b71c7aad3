package io.worldmesh.protocol.link;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The trace context in HOLD and ROUTE frames: version 2 only when there is one; garbage is read past, ignored. */
class LinkCodecTraceContextTest {

    private static final String TP = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @Test
    void holdAndRouteCarryTheirTraceContextInVersionTwo() {
        for (ToGateway f : List.<ToGateway>of(new ToGateway.Hold("p1", 4, TP), new ToGateway.Route("p1", 5, 12, TP))) {
            byte[] bytes = LinkCodec.encode(f);
            assertThat(bytes[0]).isEqualTo((byte) LinkCodec.TRACED_VERSION);
            assertThat(LinkCodec.decodeToGateway(bytes)).isEqualTo(new LinkDecoded.Ok<>(f));
        }
    }

    @Test
    void aFrameWithoutATraceContextIsVersionOneByteForByte() {
        byte[] hold = LinkCodec.encode(new ToGateway.Hold("p1", 4));
        assertThat(hold[0]).isEqualTo((byte) LinkCodec.VERSION);
        assertThat(hold).hasSize(1 + 1 + 2 + 2 + 8); // version, kind, "p1", epoch
        assertThat(LinkCodec.encode(new ToGateway.Route("p1", 5, 12, null))[0]).isEqualTo((byte) LinkCodec.VERSION);
    }

    @Test
    void aRecordRefusesAnInvalidTraceContextAtConstruction() {
        assertThat(new ToGateway.Hold("p1", 4, "garbage").traceparent()).isNull();
        assertThat(new ToGateway.Route("p1", 4, 1, TP + "-extra").traceparent()).isNull();
        assertThat(LinkCodec.encode(new ToGateway.Hold("p1", 4, "x".repeat(10_000)))[0])
                .isEqualTo((byte) LinkCodec.VERSION);
    }

    @Test
    void malformedOrOversizedTraceContextsAreIgnoredAndTheFrameStillCounts() throws IOException {
        for (String bad : List.of("", "garbage", TP.toUpperCase(), TP.replace("-01", "-1"),
                "00-00000000000000000000000000000000-b7ad6b7169203331-01",
                "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
                "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                TP + "-" + "a".repeat(199), "\u00e9".repeat(55).substring(0, 27) + TP.substring(27))) {
            byte[] ascii = bad.getBytes(StandardCharsets.UTF_8);
            byte[] frame = hold("p1", 4, ascii);
            assertThat(LinkCodec.decodeToGateway(frame)).as("%s", bad)
                    .isEqualTo(new LinkDecoded.Ok<>(new ToGateway.Hold("p1", 4)));
        }
    }

    @Test
    void aTruncatedTraceContextIsRefusedLikeAnyTruncatedFrame() throws IOException {
        byte[] good = hold("p1", 4, TP.getBytes(StandardCharsets.US_ASCII));
        for (int n = 1; n < good.length; n++) {
            assertThat(LinkCodec.decodeToGateway(Arrays.copyOf(good, n))).isInstanceOf(LinkDecoded.Invalid.class);
        }
        assertThat(LinkCodec.decodeToGateway(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(LinkDecoded.Invalid.class);
    }

    @Test
    void versionTwoIsReadForEveryKindAndItsTraceContextDroppedWhereItHasNoPlace() throws IOException {
        byte[] v1 = LinkCodec.encode(new ToGateway.EchoReply(9));
        byte[] v2 = Arrays.copyOf(v1, v1.length + 1 + TP.length());
        v2[0] = LinkCodec.TRACED_VERSION;
        v2[v1.length] = (byte) TP.length();
        System.arraycopy(TP.getBytes(StandardCharsets.US_ASCII), 0, v2, v1.length + 1, TP.length());
        assertThat(LinkCodec.decodeToGateway(v2)).isEqualTo(new LinkDecoded.Ok<>(new ToGateway.EchoReply(9)));
        byte[] ack = LinkCodec.encode(new ToNode.RouteAck("p1", 3));
        byte[] ack2 = Arrays.copyOf(ack, ack.length + 1);
        ack2[0] = LinkCodec.TRACED_VERSION; // and an empty trace context
        assertThat(LinkCodec.decodeToNode(ack2)).isEqualTo(new LinkDecoded.Ok<>(new ToNode.RouteAck("p1", 3)));
    }

    /** A version-2 HOLD frame with any bytes as its trace context (length byte + bytes, at most 255). */
    private static byte[] hold(String player, long epoch, byte[] trace) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(LinkCodec.TRACED_VERSION);
            out.writeByte(4);
            out.writeUTF(player);
            out.writeLong(epoch);
            out.writeByte(Math.min(255, trace.length));
            out.write(trace, 0, Math.min(255, trace.length));
        }
        return bytes.toByteArray();
    }
}
