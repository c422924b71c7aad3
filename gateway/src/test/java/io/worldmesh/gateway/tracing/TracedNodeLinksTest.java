package io.worldmesh.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.worldmesh.gateway.NodeLinks;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's spans hang under the trace context the HOLD and ROUTE frames carry; its open holds are bounded. */
class TracedNodeLinksTest {

    private static final String HOLD_TP = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String ROUTE_TP = "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01";

    /** Links that deliver what the test hands them and keep what is sent. */
    private static final class LoopLinks implements NodeLinks {
        Receiver receiver;
        final List<ToNode> sent = new ArrayList<>();

        @Override
        public void connect(Receiver r) {
            receiver = r;
        }

        @Override
        public boolean isUp(String node) {
            return true;
        }

        @Override
        public boolean send(String node, ToNode frame) {
            sent.add(frame);
            return true;
        }

        @Override
        public void close() {
        }
    }

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    private final LoopLinks raw = new LoopLinks();
    private final TracedNodeLinks links = (TracedNodeLinks) TracedNodeLinks.of(raw, sdk, "g1");

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void holdRouteSwitchAndAckAreChildrenOfTheFramesContexts() {
        List<ToGateway> delivered = new ArrayList<>();
        links.connect((node, frame) -> {
            delivered.add(frame);
            if (frame instanceof ToGateway.Route r) { // as the gateway does: switch, then ACK
                links.send(node, new ToNode.RouteAck(r.playerId(), r.epoch()));
            }
        });
        raw.receiver.deliver("n1", new ToGateway.Hold("p1", 4, HOLD_TP));
        raw.receiver.deliver("n2", new ToGateway.Route("p1", 5, 12, ROUTE_TP));

        assertThat(delivered).hasSize(2);
        assertThat(raw.sent).containsExactly(new ToNode.RouteAck("p1", 5));
        SpanData hold = span("gateway.hold");
        SpanData route = span("gateway.route_switch");
        SpanData ack = span("gateway.ack");
        assertThat(hold.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(hold.getAttributes().get(AttributeKey.stringKey("handover.ended_by"))).isEqualTo("route_switch");
        assertThat(route.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(ack.getParentSpanId()).isEqualTo(route.getSpanId());
        assertThat(List.of(hold, route, ack)).allSatisfy(s ->
                assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c"));
        assertThat(links.openHolds()).isZero();
    }

    @Test
    void framesWithoutASampledTraceContextPassUntracedAndAReleaseEndsTheHold() {
        links.connect((node, frame) -> links.send(node, new ToNode.RouteAck("p1", 1)));
        raw.receiver.deliver("n1", new ToGateway.Hold("p1", 4, "not-a-traceparent"));
        raw.receiver.deliver("n2", new ToGateway.Route("p1", 5, 12));
        // A context whose sampled flag is off: its handover is not traced, here neither.
        raw.receiver.deliver("n1", new ToGateway.Hold("p3", 4, HOLD_TP.substring(0, 53) + "00"));
        raw.receiver.deliver("n2", new ToGateway.Route("p3", 5, 12, ROUTE_TP.substring(0, 53) + "00"));
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
        assertThat(links.openHolds()).isZero();
        raw.receiver.deliver("n1", new ToGateway.Hold("p2", 4, HOLD_TP));
        raw.receiver.deliver("n1", new ToGateway.Release("p2", 4, 3));
        assertThat(span("gateway.hold").getAttributes().get(AttributeKey.stringKey("handover.ended_by")))
                .isEqualTo("released");
    }

    @Test
    void holdsThatNeverEndAreBounded() {
        links.connect((node, frame) -> { });
        for (int i = 0; i < TracedNodeLinks.MAX_HOLDS + 5; i++) {
            raw.receiver.deliver("n1", new ToGateway.Hold("p" + i, 1, HOLD_TP));
        }
        assertThat(links.openHolds()).isEqualTo(TracedNodeLinks.MAX_HOLDS);
        assertThat(exporter.getFinishedSpanItems()).hasSize(5).allSatisfy(s ->
                assertThat(s.getAttributes().get(AttributeKey.booleanKey("worldmesh.evicted"))).isTrue());
    }

    private SpanData span(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + exporter.getFinishedSpanItems()));
    }
}
