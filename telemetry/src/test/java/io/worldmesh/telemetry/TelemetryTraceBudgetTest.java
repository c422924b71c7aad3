package io.worldmesh.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace budget through the SDK that {@link Telemetry#create(TelemetrySettings, SpanExporter)} builds: it limits
 * new traces only, and a span with a sampled parent is recorded whatever the budget.
 */
class TelemetryTraceBudgetTest {

    @Test
    void aSpanWhoseParentIsSampledIsSampledWhenTheBudgetIsSpent() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        // One trace, then none for 1000 s: the real clock cannot refill the bucket during the test.
        TelemetrySettings oneTrace = TelemetrySettings.fromEnvironment(Map.of("WORLDMESH_TRACES_PER_SECOND",
                "0.001"), "worldmesh-node-n1");
        try (Telemetry source = Telemetry.create(oneTrace, exporter);
             Telemetry target = Telemetry.create(oneTrace, exporter)) {
            Tracer s = source.openTelemetry().getTracer("test");
            Span traced = s.spanBuilder("handover").startSpan();
            Span beyond = s.spanBuilder("handover.beyond").startSpan();
            assertThat(traced.getSpanContext().isSampled()).isTrue();
            assertThat(beyond.getSpanContext().isSampled()).isFalse();
            s.spanBuilder("handover.prepare").setParent(Context.current().with(traced)).startSpan().end();
            s.spanBuilder("handover.beyond_prepare").setParent(Context.current().with(beyond)).startSpan().end();

            Tracer t = target.openTelemetry().getTracer("test");
            t.spanBuilder("target.own_root").startSpan().end(); // spends the target's budget
            assertThat(t.spanBuilder("target.second_root").startSpan().getSpanContext().isSampled()).isFalse();
            SpanContext fromTheWire = SpanContext.createFromRemoteParent(traced.getSpanContext().getTraceId(),
                    traced.getSpanContext().getSpanId(), traced.getSpanContext().getTraceFlags(),
                    traced.getSpanContext().getTraceState());
            t.spanBuilder("handover.handle_prepare").setParent(Context.root().with(Span.wrap(fromTheWire)))
                    .startSpan().end();
            traced.end();
            beyond.end();
            source.flush();
            target.flush();

            assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                    .containsExactlyInAnyOrder("handover", "handover.prepare", "target.own_root",
                            "handover.handle_prepare");
            assertThat(exporter.getFinishedSpanItems()).filteredOn(d -> d.getName().startsWith("handover"))
                    .allSatisfy(d -> assertThat(d.getTraceId()).isEqualTo(traced.getSpanContext().getTraceId()));
        }
    }

    @Test
    void byDefaultTwentyNewTracesAreRecordedAtOnceAndUnlimitedRecordsEvery() {
        // 20 at once; the real clock may refill a few while the loop runs (20 a second), never 80
        assertThat(exportedOf100Roots(TelemetrySettings.defaults("worldmesh-node-n1"))).isBetween(20, 40);
        assertThat(exportedOf100Roots(TelemetrySettings.fromEnvironment(Map.of("WORLDMESH_TRACES_PER_SECOND",
                "unlimited"), "worldmesh-node-n1"))).isEqualTo(100);
    }

    private static int exportedOf100Roots(TelemetrySettings settings) {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (Telemetry t = Telemetry.create(settings, exporter)) {
            Tracer tracer = t.openTelemetry().getTracer("test");
            for (int i = 0; i < 100; i++) {
                tracer.spanBuilder("handover").startSpan().end();
            }
            t.flush();
            return exporter.getFinishedSpanItems().size();
        }
    }
}
