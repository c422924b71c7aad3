package io.worldmesh.node.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's server spans: a peer's traceparent header is the parent when valid and ignored otherwise; bounded. */
class OtelNodeTracingTest {

    private static final String TP = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    private final OtelNodeTracing tracing = new OtelNodeTracing(sdk, "n1", HandoverSettings.DEFAULTS);

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void aValidTraceparentHeaderIsTheServerSpansParent() {
        answer(1, TP);
        SpanData s = exporter.getFinishedSpanItems().get(0);
        assertThat(s.getName()).isEqualTo("handover.handle_cleanup");
        assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(s.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(s.getAttributes().get(AttributeKey.stringKey("handover.reply"))).isEqualTo("CLEANED_UP");
    }

    @Test
    void malformedOrOversizedTraceparentHeadersAreIgnoredNeverThrown() {
        List<String> garbage = new ArrayList<>(List.of("", "garbage", TP.toUpperCase(), TP + "-00", TP + ",x",
                TP.substring(0, 54), "00-" + "0".repeat(32) + TP.substring(35), "ff" + TP.substring(2),
                "x".repeat(1 << 20), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0\u0000"));
        garbage.add(null);
        long id = 1;
        for (String bad : garbage) {
            answer(id++, bad);
        }
        assertThat(exporter.getFinishedSpanItems()).hasSize(garbage.size()).allSatisfy(s -> {
            assertThat(s.getParentSpanContext().isValid()).isFalse(); // a trace of its own
            assertThat(s.getTraceId()).isNotEqualTo("0af7651916cd43dd8448eb211c80319c");
        });
        assertThat(OtelNodeTracing.remoteParent("x".repeat(100))).isSameAs(io.opentelemetry.context.Context.root());
        assertThat(Span.fromContext(OtelNodeTracing.remoteParent(TP)).getSpanContext().isRemote()).isTrue();
    }

    @Test
    void requestsNeverAnsweredAreEndedAndDroppedBeyondTheBound() {
        int over = 10;
        for (long id = 1; id <= OtelNodeTracing.MAX_PENDING_REQUESTS + over; id++) {
            tracing.peerRequest(id, new PeerRequest.Cleanup("p1", "tok-" + id), TP);
        }
        assertThat(exporter.getFinishedSpanItems()).hasSize(over).allSatisfy(s ->
                assertThat(s.getAttributes().get(AttributeKey.booleanKey("worldmesh.evicted"))).isTrue());
        tracing.peerRequestRefused(OtelNodeTracing.MAX_PENDING_REQUESTS + over);
        assertThat(exporter.getFinishedSpanItems()).hasSize(over + 1);
    }

    private void answer(long id, String traceparent) {
        PeerRequest.Cleanup cleanup = new PeerRequest.Cleanup("p1", "tok-" + id);
        tracing.peerRequest(id, cleanup, traceparent);
        List<NodeEffect> effects = List.of(new NodeEffect.ReplyPeer(id, new PeerReply.CleanedUp("tok-" + id)));
        assertThat(tracing.observe(new NodeInput.FromPeer(id, cleanup), effects)).isSameAs(effects);
    }
}
