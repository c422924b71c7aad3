package io.worldmesh.telemetry;

import io.opentelemetry.api.OpenTelemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One {@link Telemetry} per service of a process that runs several (the demo: every node and the gateway in one
 * JVM, each its own service), each from the same settings but its own default name and its own trace budget;
 * closed together.
 */
public final class Telemetries implements Function<String, OpenTelemetry>, AutoCloseable {

    private final Function<String, TelemetrySettings> settings;
    private final List<Telemetry> made = new ArrayList<>();

    public Telemetries(Function<String, TelemetrySettings> settings) {
        this.settings = settings;
    }

    /** Each service from the process environment ({@code OTEL_*}). */
    public static Telemetries fromEnvironment() {
        return new Telemetries(TelemetrySettings::fromEnvironment);
    }

    /** The OpenTelemetry of service {@code defaultServiceName} (unless {@code OTEL_SERVICE_NAME} names one). */
    @Override
    public synchronized OpenTelemetry apply(String defaultServiceName) {
        Telemetry t = Telemetry.create(settings.apply(defaultServiceName));
        made.add(t);
        return t.openTelemetry();
    }

    public synchronized void flush() {
        made.forEach(Telemetry::flush);
    }

    @Override
    public synchronized void close() {
        made.forEach(Telemetry::close);
        made.clear();
    }
}
