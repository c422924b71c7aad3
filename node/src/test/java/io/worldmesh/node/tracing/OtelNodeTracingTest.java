package io.worldmesh.node.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.worldmesh.api.CellRef;
import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.handover.Outcome;
import io.worldmesh.handover.Side;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.link.ToGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's spans: a peer's traceparent header is the parent when valid and sampled, and otherwise the request is
 * handled untraced; a handover the sampler drops is not kept and sends no context on; bounded.
 */
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
    void malformedOrOversizedTraceparentHeadersAreIgnoredNeverThrownAndTraceNothing() {
        List<String> garbage = new ArrayList<>(List.of("", "garbage", TP.toUpperCase(), TP + "-00", TP + ",x",
                TP.substring(0, 54), "00-" + "0".repeat(32) + TP.substring(35), "ff" + TP.substring(2),
                "x".repeat(1 << 20), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0\u0000"));
        garbage.add(null);
        long id = 1;
        for (String bad : garbage) {
            answer(id++, bad);
        }
        // Handled untraced: a request its source did not trace makes no trace here either (no fragments).
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
        assertThat(OtelNodeTracing.remoteParent("x".repeat(100))).isSameAs(io.opentelemetry.context.Context.root());
        assertThat(Span.fromContext(OtelNodeTracing.remoteParent(TP)).getSpanContext().isRemote()).isTrue();
    }

    @Test
    void aRequestWhoseSourceDidNotSampleItMakesNoSpan() {
        answer(1, TP.substring(0, 53) + "00");
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
        answer(2, TP);
        assertThat(exporter.getFinishedSpanItems()).singleElement()
                .satisfies(s -> assertThat(s.getParentSpanId()).isEqualTo("b7ad6b7169203331"));
    }

    @Test
    void aHandoverTheSamplerDropsIsNotKeptAndSendsNoContext() {
        OpenTelemetrySdk off = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(Sampler.alwaysOff()))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
        OtelNodeTracing untraced = new OtelNodeTracing(off, "n1", HandoverSettings.DEFAULTS);
        PeerRequest.Prepare prepare = new PeerRequest.Prepare("p1", "n1", "n2", "g1", 3, new CellRef(0, 0),
                new CellRef(1, 0), null, "tok-1", 0, 1);
        List<NodeEffect> effects = List.of(new NodeEffect.ToGatewayFrame("g1", new ToGateway.Hold("p1", 1)),
                new NodeEffect.CallPeer(1, "n2", prepare));
        List<NodeEffect> out = untraced.observe(new NodeInput.Tick(1), effects);
        assertThat(out).isSameAs(effects); // the HOLD goes without a trace context
        assertThat(untraced.callContext(prepare)).isNull(); // so does the PREPARE
        assertThat(untraced.observe(new NodeInput.Tick(2), List.of(new NodeEffect.Report(new HandoverReport(Side.SOURCE,
                "p1", "tok-1", Outcome.COMMITTED, "committed", 1, 1, 1, 3))))).hasSize(1);
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
        off.close();

        // The same with a sampler that keeps it: the HOLD carries the root's context.
        PeerRequest.Prepare again = new PeerRequest.Prepare("p1", "n1", "n2", "g1", 3, new CellRef(0, 0),
                new CellRef(1, 0), null, "tok-2", 0, 1);
        List<NodeEffect> traced = tracing.observe(new NodeInput.Tick(1), List.of(
                new NodeEffect.ToGatewayFrame("g1", new ToGateway.Hold("p1", 1)), new NodeEffect.CallPeer(1, "n2",
                        again)));
        assertThat(((ToGateway.Hold) ((NodeEffect.ToGatewayFrame) traced.get(0)).frame()).traceparent()).isNotNull();
        assertThat(tracing.callContext(again)).isNotNull();
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
