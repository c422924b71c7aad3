package io.worldmesh.protocol.link;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Version 3: several frames in one message, each behind its length; bounded, and a bad frame costs only itself. */
class LinkCodecBatchTest {

    private static final String TP = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static List<LinkDecoded<ToGateway>> decodeAll(byte[] bytes) {
        List<LinkDecoded<ToGateway>> out = new ArrayList<>();
        LinkCodec.decodeAllToGateway(bytes, out::add);
        return out;
    }

    private static ToGateway.ToClient snapshot(String player, long tick) {
        return new ToGateway.ToClient(player, ("{\"type\":\"snapshot\",\"tick\":" + tick + "}")
                .getBytes(StandardCharsets.UTF_8), true, tick, 3);
    }

    @Test
    void aBatchGivesItsFramesInOrderWithTheirTraceContexts() {
        List<ToGateway> frames = List.of(new ToGateway.Hold("p1", 4, TP), snapshot("p2", 10),
                new ToGateway.Route("p3", 5, 12, null), new ToGateway.EchoReply(9));
        byte[] batch = LinkCodec.batch(frames.stream().map(LinkCodec::encode).toList());
        assertThat(batch[0]).isEqualTo((byte) LinkCodec.BATCH_VERSION);
        List<LinkDecoded<ToGateway>> back = decodeAll(batch);
        assertThat(back).hasSize(4);
        assertThat(back.get(0)).isEqualTo(new LinkDecoded.Ok<>(frames.get(0)));
        assertThat(((ToGateway.ToClient) ((LinkDecoded.Ok<ToGateway>) back.get(1)).frame()).json())
                .isEqualTo(((ToGateway.ToClient) frames.get(1)).json());
        assertThat(back.subList(2, 4)).containsExactly(new LinkDecoded.Ok<>(frames.get(2)),
                new LinkDecoded.Ok<>(frames.get(3)));
    }

    @Test
    void aSingleFrameDecodesAsBeforeAndTheOneFrameDecoderRefusesABatch() {
        ToGateway hold = new ToGateway.Hold("p1", 4);
        assertThat(decodeAll(LinkCodec.encode(hold))).containsExactly(new LinkDecoded.Ok<>(hold));
        byte[] batch = LinkCodec.batch(List.of(LinkCodec.encode(hold), LinkCodec.encode(hold)));
        assertThat(LinkCodec.decodeToGateway(batch)).isInstanceOf(LinkDecoded.Invalid.class);
        assertThat(decodeAll(new byte[0])).singleElement().isInstanceOf(LinkDecoded.Invalid.class);
        assertThat(decodeAll(new byte[] {LinkCodec.BATCH_VERSION})).isEmpty(); // an empty batch: nothing
    }

    @Test
    void aBadFrameInsideABatchIsRefusedAloneAndTheOthersStillCount() {
        byte[] good = LinkCodec.encode(new ToGateway.EchoReply(1));
        byte[] unknownKind = {LinkCodec.VERSION, 99};
        byte[] nested = LinkCodec.batch(List.of(good, good)); // a batch in a batch is no frame
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        List<LinkDecoded<ToGateway>> back = decodeAll(LinkCodec.batch(List.of(good, unknownKind, nested, trailing,
                new byte[0], good)));
        assertThat(back).hasSize(6);
        assertThat(back.get(0)).isEqualTo(new LinkDecoded.Ok<>(new ToGateway.EchoReply(1)));
        assertThat(back.subList(1, 5)).allMatch(d -> d instanceof LinkDecoded.Invalid);
        assertThat(back.get(5)).isEqualTo(new LinkDecoded.Ok<>(new ToGateway.EchoReply(1)));
    }

    @Test
    void lengthsThatRunPastTheEndStopTheBatchThere() {
        byte[] good = LinkCodec.encode(new ToGateway.EchoReply(1));
        byte[] batch = LinkCodec.batch(List.of(good, good));
        byte[] cut = Arrays.copyOf(batch, batch.length - 1);
        List<LinkDecoded<ToGateway>> back = decodeAll(cut);
        assertThat(back).hasSize(2);
        assertThat(back.get(0)).isInstanceOf(LinkDecoded.Ok.class);
        assertThat(back.get(1)).isInstanceOf(LinkDecoded.Invalid.class);

        byte[] huge = batch.clone(); // the first length says 4 GiB - 1
        huge[1] = huge[2] = huge[3] = huge[4] = (byte) 0xff;
        assertThat(decodeAll(huge)).singleElement().isInstanceOf(LinkDecoded.Invalid.class);

        byte[] shortHeader = Arrays.copyOf(batch, 1 + 4 + good.length + 2); // two bytes of the next length
        assertThat(decodeAll(shortHeader)).hasSize(2).last().isInstanceOf(LinkDecoded.Invalid.class);
    }

    @Test
    void aBatchHoldsAtMostMaxFramesWhenWrittenAndWhenRead() {
        byte[] good = LinkCodec.encode(new ToGateway.EchoReply(1));
        List<byte[]> atMost = Collections.nCopies(LinkCodec.MAX_BATCH_FRAMES, good);
        assertThat(decodeAll(LinkCodec.batch(atMost))).hasSize(LinkCodec.MAX_BATCH_FRAMES)
                .allMatch(d -> d instanceof LinkDecoded.Ok);
        assertThatThrownBy(() -> LinkCodec.batch(Collections.nCopies(LinkCodec.MAX_BATCH_FRAMES + 1, good)))
                .isInstanceOf(IllegalArgumentException.class);

        // A forged batch of one frame more: the frames up to the bound count, then one refusal, and no more.
        byte[] forged = new byte[1 + (LinkCodec.MAX_BATCH_FRAMES + 1) * (4 + good.length)];
        forged[0] = LinkCodec.BATCH_VERSION;
        for (int i = 0, at = 1; i <= LinkCodec.MAX_BATCH_FRAMES; i++, at += 4 + good.length) {
            forged[at + 3] = (byte) good.length;
            System.arraycopy(good, 0, forged, at + 4, good.length);
        }
        List<LinkDecoded<ToGateway>> back = decodeAll(forged);
        assertThat(back).hasSize(LinkCodec.MAX_BATCH_FRAMES + 1);
        assertThat(back.getLast()).isInstanceOf(LinkDecoded.Invalid.class);
    }
}
