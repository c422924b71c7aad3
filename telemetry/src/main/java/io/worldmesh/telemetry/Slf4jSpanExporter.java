package io.worldmesh.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Writes each span as one log line through SLF4J, logger {@value #LOGGER} at INFO: name, duration, ids, status and
 * attributes in the message, and {@code trace_id}, {@code span_id}, {@code parent_span_id} and {@code service} in
 * the MDC, so that {@code WORLDMESH_LOG_FORMAT=JSON} gives them as fields and they join the handover's own log
 * line. Runs on the batch processor's thread, never on a caller's.
 */
public final class Slf4jSpanExporter implements SpanExporter {

    public static final String LOGGER = "io.worldmesh.spans";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);
    private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (!log.isInfoEnabled()) {
            return CompletableResultCode.ofSuccess();
        }
        for (SpanData s : spans) {
            String service = s.getResource().getAttribute(SERVICE);
            MDC.put("trace_id", s.getTraceId());
            MDC.put("span_id", s.getSpanId());
            MDC.put("parent_span_id", s.getParentSpanId());
            MDC.put("service", service);
            try {
                log.info(line(s, service));
            } finally {
                MDC.remove("trace_id");
                MDC.remove("span_id");
                MDC.remove("parent_span_id");
                MDC.remove("service");
            }
        }
        return CompletableResultCode.ofSuccess();
    }

    static String line(SpanData s, String service) {
        StringBuilder b = new StringBuilder(256).append("span ").append(s.getName()).append(' ')
                .append(TimeUnit.NANOSECONDS.toMicros(s.getEndEpochNanos() - s.getStartEpochNanos())).append(" us")
                .append(" kind=").append(s.getKind())
                .append(" status=").append(s.getStatus().getStatusCode())
                .append(" service=").append(service)
                .append(" trace=").append(s.getTraceId())
                .append(" span=").append(s.getSpanId())
                .append(" parent=").append(s.getParentSpanId());
        s.getAttributes().forEach((k, v) -> b.append(' ').append(k.getKey()).append('=').append(v));
        for (EventData e : s.getEvents()) {
            b.append(" event=").append(e.getName());
        }
        return b.toString();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
