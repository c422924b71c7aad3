package io.worldmesh.protocol.link;

import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LinkCodecTest {

    private static final WorldInfo INFO = new WorldInfo("n2", "orbs", 20, 4, 2, 64, 8,
            Map.of("drop", Map.of(), "say", Map.of("text", "string")), List.of("n1", "n2"), new int[] {0, 0, 1, 1, 0, 0, 1, 1});

    @Test
    void everyFrameToANodeRoundTrips() {
        ClientMessage.Input plain = new ClientMessage.Input(7, new Vec2(0.6, -0.8), 1.5, null);
        ClientMessage.Input full = new ClientMessage.Input(8, new Vec2(1, 0), 0, new Vec2(3, 4),
                new ClientMessage.GameAction("say", Map.of("text", "hi", "loud", true, "times", 2.0)));
        List<ToNode> frames = List.of(new ToNode.Attach(3, "ana", null), new ToNode.Attach(4, "bo", "p1-2"),
                new ToNode.Input("p1", plain), new ToNode.Input("p1", full), new ToNode.Detach("p1", 3),
                new ToNode.RouteAck("p1", 9), new ToNode.RouteAck("p1", 10, 42), new ToNode.Echo(77));
        for (ToNode f : frames) {
            assertThat(LinkCodec.decodeToNode(LinkCodec.encode(f))).isEqualTo(new LinkDecoded.Ok<>(f));
        }
    }

    @Test
    void everyFrameToAGatewayRoundTrips() {
        List<ToGateway> frames = List.of(new ToGateway.Attached(3, "p1", true, 12, 4, INFO),
                new ToGateway.Refused(3, "draining"), new ToGateway.Hold("p1", 4),
                new ToGateway.Release("p1", 4, 12), new ToGateway.Route("p1", 5, 12), new ToGateway.EchoReply(9),
                new ToGateway.Gone("p1", 6, 7, "its resume window ran out"));
        for (ToGateway f : frames) {
            assertThat(LinkCodec.decodeToGateway(LinkCodec.encode(f))).isEqualTo(new LinkDecoded.Ok<>(f));
        }
        ToGateway.ToClient c = new ToGateway.ToClient("p1", "{\"type\":\"snapshot\"}".getBytes(), true, 400, 12);
        ToGateway.ToClient back = (ToGateway.ToClient) ((LinkDecoded.Ok<ToGateway>) LinkCodec.decodeToGateway(
                LinkCodec.encode(c))).frame();
        assertThat(back.json()).isEqualTo(c.json());
        assertThat(List.of(back.playerId(), back.droppable(), back.tick(), back.lastAppliedSeq()))
                .isEqualTo(List.of("p1", true, 400L, 12L));
    }

    @Test
    void truncatedForeignAndTrailingBytesAreRefused() {
        byte[] good = LinkCodec.encode(new ToGateway.Attached(3, "p1", false, 0, 1, INFO));
        for (int n = 0; n < good.length; n++) {
            assertThat(LinkCodec.decodeToGateway(Arrays.copyOf(good, n))).isInstanceOf(LinkDecoded.Invalid.class);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThat(LinkCodec.decodeToGateway(longer)).isInstanceOf(LinkDecoded.Invalid.class);
        byte[] version = good.clone();
        version[0] = 9;
        assertThat(LinkCodec.decodeToGateway(version)).isInstanceOf(LinkDecoded.Invalid.class);
        assertThat(LinkCodec.decodeToNode(new byte[] {1, 42})).isInstanceOf(LinkDecoded.Invalid.class);
    }

    @Test
    void aClientMessageLengthBeyondTheBoundIsRefused() {
        byte[] frame = LinkCodec.encode(new ToGateway.ToClient("p", new byte[4], false, 1, -1));
        // patch the length field (after version, kind, "p", droppable, tick, seq) to something huge
        int at = 1 + 1 + 3 + 1 + 8 + 8;
        frame[at] = 0x7f;
        assertThat(LinkCodec.decodeToGateway(frame)).isInstanceOf(LinkDecoded.Invalid.class);
    }
}
