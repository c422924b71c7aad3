package io.worldmesh.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The default exporter writes each span as one line to the log; {@code OTEL_TRACES_EXPORTER=none} writes none. */
class LogExportTest {

    private final Logger spans = (Logger) LoggerFactory.getLogger(Slf4jSpanExporter.LOGGER);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
            e.prepareForDeferredProcessing(); // the MDC, on the exporting thread
            super.append(e);
        }
    };

    @BeforeEach
    void capture() {
        captured.start();
        spans.addAppender(captured);
        spans.setLevel(Level.INFO);
    }

    @AfterEach
    void release() {
        spans.detachAppender(captured);
        spans.setLevel(null);
    }

    @Test
    void theDefaultExporterWritesOneLinePerSpanWithItsIdsInTheMdc() {
        try (Telemetry t = Telemetry.create(TelemetrySettings.fromEnvironment(Map.of(), "worldmesh-node-n1"))) {
            Span s = t.openTelemetry().getTracer("test").spanBuilder("handover")
                    .setAttribute("handover.token", "tok-1").startSpan();
            s.end();
            t.flush();
            assertThat(captured.list).hasSize(1);
            ILoggingEvent line = captured.list.get(0);
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).startsWith("span handover ")
                    .contains("trace=" + s.getSpanContext().getTraceId())
                    .contains("service=worldmesh-node-n1").contains("handover.token=tok-1");
            assertThat(line.getMDCPropertyMap()).containsEntry("trace_id", s.getSpanContext().getTraceId())
                    .containsEntry("span_id", s.getSpanContext().getSpanId())
                    .containsEntry("service", "worldmesh-node-n1");
        }
    }

    @Test
    void noneWritesNothingAndPropagatesNothing() {
        try (Telemetry t = Telemetry.create(TelemetrySettings.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "none"), "worldmesh-node-n1"))) {
            Span s = t.openTelemetry().getTracer("test").spanBuilder("handover").startSpan();
            s.end();
            t.flush();
            assertThat(t.enabled()).isFalse();
            assertThat(s.getSpanContext().isValid()).isFalse();
            assertThat(captured.list).isEmpty();
        }
    }

    @Test
    void aSampledOutHandoverIsNotWritten() {
        try (Telemetry t = Telemetry.create(TelemetrySettings.fromEnvironment(Map.of("OTEL_TRACES_SAMPLER_ARG", "0"), "n"))) {
            Span s = t.openTelemetry().getTracer("test").spanBuilder("handover").startSpan();
            s.end();
            t.flush();
            assertThat(s.getSpanContext().isValid()).isTrue(); // still propagated, marked not sampled
            assertThat(s.getSpanContext().isSampled()).isFalse();
            assertThat(captured.list).isEmpty();
        }
    }
}
