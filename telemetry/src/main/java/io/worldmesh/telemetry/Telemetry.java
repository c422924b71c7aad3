package io.worldmesh.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process role's OpenTelemetry: the SDK built from {@link TelemetrySettings}, or the no-op API when tracing is
 * off ({@code OTEL_TRACES_EXPORTER=none}). Spans go through a {@link BatchSpanProcessor}: ending a span only puts
 * it on a bounded queue ({@code OTEL_BSP_MAX_QUEUE_SIZE}, default 2048), which one background thread drains to
 * the exporters; when the queue is full a newly ended span is dropped, so exporting never blocks the simulation
 * thread or an event loop, and a slow or unreachable collector costs spans, not latency. A new trace is recorded only
 * if the ratio samples it and the trace budget ({@code WORLDMESH_TRACES_PER_SECOND}, one per instance) has room;
 * a span with a parent follows the parent. The propagator is W3C {@code traceparent}. Nothing is registered
 * globally: every node and gateway in one JVM has its own.
 */
public final class Telemetry implements AutoCloseable {

    public static final Telemetry OFF = new Telemetry(null, OpenTelemetry.noop());

    private final OpenTelemetrySdk sdk;
    private final OpenTelemetry api;

    private Telemetry(OpenTelemetrySdk sdk, OpenTelemetry api) {
        this.sdk = sdk;
        this.api = api;
    }

    /** From the process environment, {@code defaultServiceName} unless {@code OTEL_SERVICE_NAME} names one. */
    public static Telemetry fromEnvironment(String defaultServiceName) {
        return create(TelemetrySettings.fromEnvironment(defaultServiceName));
    }

    public static Telemetry create(TelemetrySettings settings) {
        if (!settings.enabled()) {
            return OFF;
        }
        List<SpanExporter> exporters = new ArrayList<>();
        if (settings.exporters().contains(TelemetrySettings.Exporter.LOGGING)) {
            exporters.add(new Slf4jSpanExporter());
        }
        if (settings.exporters().contains(TelemetrySettings.Exporter.OTLP)) {
            OtlpHttpSpanExporterBuilder otlp = OtlpHttpSpanExporter.builder()
                    .setEndpoint(settings.otlpEndpoint().toString()).setTimeout(settings.exportTimeout());
            settings.otlpHeaders().forEach(otlp::addHeader);
            exporters.add(otlp.build());
        }
        return create(settings, SpanExporter.composite(exporters));
    }

    /** With {@code exporter} in place of the configured ones (tests: an in-memory exporter), batched the same. */
    public static Telemetry create(TelemetrySettings settings, SpanExporter exporter) {
        Sampler ratio = switch (settings.sampler()) {
            case PARENTBASED_TRACEIDRATIO -> Sampler.traceIdRatioBased(settings.samplerRatio());
            case PARENTBASED_ALWAYS_ON -> Sampler.alwaysOn();
            case PARENTBASED_ALWAYS_OFF -> Sampler.alwaysOff();
        };
        Sampler root = settings.tracesPerSecond() == TelemetrySettings.UNLIMITED ? ratio
                : new RateLimitedSampler(ratio, settings.tracesPerSecond());
        Resource resource = Resource.getDefault().merge(Resource.builder()
                .put(AttributeKey.stringKey("service.name"), settings.serviceName())
                .put(AttributeKey.stringKey("service.namespace"), "worldmesh").build());
        SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
                .setSampler(Sampler.parentBased(root))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                        .setMaxQueueSize(settings.maxQueueSize())
                        .setMaxExportBatchSize(settings.maxExportBatchSize())
                        .setScheduleDelay(settings.scheduleDelay())
                        .setExporterTimeout(settings.exportTimeout()).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracing)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        return new Telemetry(sdk, sdk);
    }

    public OpenTelemetry openTelemetry() {
        return api;
    }

    public boolean enabled() {
        return sdk != null;
    }

    /** Exports what has ended so far; waits at most 10 s. */
    public void flush() {
        if (sdk != null) {
            sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        }
    }

    /** Exports what is queued (at most 10 s) and stops the exporters. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
