package io.worldmesh.telemetry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a process traces, read once at start from the standard {@code OTEL_*} variables (the subset Worldmesh
 * honours) and Worldmesh's own trace budget, every problem reported at once.
 *
 * <table>
 * <caption>variables</caption>
 * <tr><td>{@code OTEL_TRACES_EXPORTER}</td><td>{@code logging}, {@code otlp}, both (comma-separated) or
 * {@code none}; default {@code otlp} when an OTLP endpoint is set, else {@code logging}</td></tr>
 * <tr><td>{@code OTEL_SDK_DISABLED}</td><td>{@code true}: as {@code none}</td></tr>
 * <tr><td>{@code OTEL_SERVICE_NAME}</td><td>default {@code worldmesh-node-<id>} or {@code worldmesh-gateway}</td></tr>
 * <tr><td>{@code OTEL_TRACES_SAMPLER}</td><td>{@code parentbased_traceidratio} (default),
 * {@code parentbased_always_on}, {@code parentbased_always_off}</td></tr>
 * <tr><td>{@code OTEL_TRACES_SAMPLER_ARG}</td><td>the ratio of handovers traced, 0..1, default 1 (all, within the
 * budget below)</td></tr>
 * <tr><td>{@code WORLDMESH_TRACES_PER_SECOND}</td><td>the most new traces (root spans) one service starts per second,
 * after the ratio: a number &gt; 0 or {@code unlimited}; default 20. Spans with a parent follow it, never
 * limited</td></tr>
 * <tr><td>{@code OTEL_EXPORTER_OTLP_ENDPOINT}</td><td>base URL, {@code /v1/traces} appended; default
 * {@code http://localhost:4318}</td></tr>
 * <tr><td>{@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}</td><td>the full URL, as is</td></tr>
 * <tr><td>{@code OTEL_EXPORTER_OTLP_HEADERS}</td><td>{@code k=v,k2=v2}</td></tr>
 * <tr><td>{@code OTEL_EXPORTER_OTLP_PROTOCOL}</td><td>only {@code http/protobuf}</td></tr>
 * <tr><td>{@code OTEL_BSP_MAX_QUEUE_SIZE}</td><td>ended spans waiting for export, default 2048; beyond it new
 * ones are dropped</td></tr>
 * <tr><td>{@code OTEL_BSP_SCHEDULE_DELAY}</td><td>ms between exports, default 1000</td></tr>
 * <tr><td>{@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE}</td><td>default 512</td></tr>
 * <tr><td>{@code OTEL_BSP_EXPORT_TIMEOUT}</td><td>ms, default 30000</td></tr>
 * </table>
 */
public record TelemetrySettings(Set<Exporter> exporters, String serviceName, Sampler sampler, double samplerRatio,
                                double tracesPerSecond, URI otlpEndpoint, Map<String, String> otlpHeaders,
                                int maxQueueSize, Duration scheduleDelay, int maxExportBatchSize,
                                Duration exportTimeout) {

    public enum Exporter { LOGGING, OTLP }

    public enum Sampler { PARENTBASED_TRACEIDRATIO, PARENTBASED_ALWAYS_ON, PARENTBASED_ALWAYS_OFF }

    public static final URI DEFAULT_OTLP = URI.create("http://localhost:4318/v1/traces");

    /**
     * New traces per second per service by default: a handover's ~17 spans each a log line would, at 1,000
     * handovers a second, cost a third of the cluster's throughput.
     */
    public static final double DEFAULT_TRACES_PER_SECOND = 20;

    /** {@link #tracesPerSecond()} when there is no budget. */
    public static final double UNLIMITED = Double.POSITIVE_INFINITY;

    public TelemetrySettings {
        exporters = exporters.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(exporters));
        otlpHeaders = Map.copyOf(otlpHeaders);
        List<String> problems = new ArrayList<>();
        if (serviceName == null || serviceName.isBlank()) problems.add("the service name is empty");
        if (!(samplerRatio >= 0 && samplerRatio <= 1)) problems.add("the sampler ratio must be in 0..1, was " + samplerRatio);
        if (!(tracesPerSecond > 0)) problems.add("the traces per second must be > 0 or unlimited, was "
                + tracesPerSecond);
        if (maxQueueSize < 1) problems.add("the span queue must hold >= 1, was " + maxQueueSize);
        if (maxExportBatchSize < 1 || maxExportBatchSize > maxQueueSize) {
            problems.add("the export batch must be 1.." + maxQueueSize + ", was " + maxExportBatchSize);
        }
        if (scheduleDelay.isNegative() || scheduleDelay.isZero()) problems.add("the schedule delay must be > 0");
        if (exportTimeout.isNegative() || exportTimeout.isZero()) problems.add("the export timeout must be > 0");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid telemetry settings: " + String.join("; ", problems));
        }
    }

    /** Spans to the log, every handover traced up to 20 new traces a second: the defaults for {@code serviceName}. */
    public static TelemetrySettings defaults(String serviceName) {
        return new TelemetrySettings(Set.of(Exporter.LOGGING), serviceName, Sampler.PARENTBASED_TRACEIDRATIO, 1.0,
                DEFAULT_TRACES_PER_SECOND, DEFAULT_OTLP, Map.of(), 2048, Duration.ofSeconds(1), 512,
                Duration.ofSeconds(30));
    }

    public boolean enabled() {
        return !exporters.isEmpty();
    }

    public TelemetrySettings withExporters(Set<Exporter> e) {
        return new TelemetrySettings(e, serviceName, sampler, samplerRatio, tracesPerSecond, otlpEndpoint, otlpHeaders,
                maxQueueSize, scheduleDelay, maxExportBatchSize, exportTimeout);
    }

    public static TelemetrySettings fromEnvironment(String defaultServiceName) {
        return fromEnvironment(System.getenv(), defaultServiceName);
    }

    /** Reads {@code env} (the process environment, or a map in tests); throws naming every bad variable. */
    public static TelemetrySettings fromEnvironment(Map<String, String> env, String defaultServiceName) {
        TelemetrySettings d = defaults(defaultServiceName);
        List<String> problems = new ArrayList<>();
        String base = blankToNull(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        String traces = blankToNull(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        URI endpoint = d.otlpEndpoint();
        try {
            if (traces != null) {
                endpoint = httpUri(traces);
            } else if (base != null) {
                endpoint = httpUri(base.endsWith("/") ? base + "v1/traces" : base + "/v1/traces");
            }
        } catch (IllegalArgumentException e) {
            problems.add("OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT: " + e.getMessage());
        }
        Set<Exporter> exporters = EnumSet.noneOf(Exporter.class);
        String names = blankToNull(env.get("OTEL_TRACES_EXPORTER"));
        if (names == null) {
            exporters.add(base != null || traces != null ? Exporter.OTLP : Exporter.LOGGING);
        } else {
            for (String n : names.split(",")) {
                switch (n.trim().toLowerCase(Locale.ROOT)) {
                    case "none" -> { }
                    case "logging", "console" -> exporters.add(Exporter.LOGGING);
                    case "otlp" -> exporters.add(Exporter.OTLP);
                    default -> problems.add("OTEL_TRACES_EXPORTER: unknown exporter '" + n.trim()
                            + "' (none, logging, otlp)");
                }
            }
            if (names.toLowerCase(Locale.ROOT).contains("none")) {
                exporters.clear();
            }
        }
        if ("true".equalsIgnoreCase(String.valueOf(env.get("OTEL_SDK_DISABLED")).trim())) {
            exporters.clear();
        }
        String protocol = blankToNull(env.get("OTEL_EXPORTER_OTLP_PROTOCOL"));
        if (protocol != null && !protocol.equals("http/protobuf") && exporters.contains(Exporter.OTLP)) {
            problems.add("OTEL_EXPORTER_OTLP_PROTOCOL: only http/protobuf is built in, was " + protocol);
        }
        Sampler sampler = d.sampler();
        String s = blankToNull(env.get("OTEL_TRACES_SAMPLER"));
        if (s != null) {
            try {
                sampler = Sampler.valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("OTEL_TRACES_SAMPLER: '" + s + "' is not parentbased_traceidratio, parentbased_always_on"
                        + " or parentbased_always_off");
            }
        }
        double ratio = number(env, "OTEL_TRACES_SAMPLER_ARG", d.samplerRatio(), problems);
        double perSecond = tracesPerSecond(env, d.tracesPerSecond(), problems);
        Map<String, String> headers = new LinkedHashMap<>();
        String h = blankToNull(env.get("OTEL_EXPORTER_OTLP_HEADERS"));
        if (h != null) {
            for (String pair : h.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    problems.add("OTEL_EXPORTER_OTLP_HEADERS: '" + pair + "' is not key=value");
                } else {
                    headers.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        String service = blankToNull(env.get("OTEL_SERVICE_NAME"));
        int queue = (int) number(env, "OTEL_BSP_MAX_QUEUE_SIZE", d.maxQueueSize(), problems);
        long delay = (long) number(env, "OTEL_BSP_SCHEDULE_DELAY", d.scheduleDelay().toMillis(), problems);
        int batch = (int) number(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", Math.min(d.maxExportBatchSize(), queue),
                problems);
        long timeout = (long) number(env, "OTEL_BSP_EXPORT_TIMEOUT", d.exportTimeout().toMillis(), problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid telemetry settings: " + String.join("; ", problems));
        }
        return new TelemetrySettings(exporters, service != null ? service : defaultServiceName, sampler, ratio,
                perSecond, endpoint, headers, queue, Duration.ofMillis(delay), batch, Duration.ofMillis(timeout));
    }

    private static URI httpUri(String s) {
        URI u = URI.create(s.trim());
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("'" + s + "' is not an http(s) URL");
        }
        return u;
    }

    private static double number(Map<String, String> env, String key, double dflt, List<String> problems) {
        String v = blankToNull(env.get(key));
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            problems.add(key + ": '" + v + "' is not a number");
            return dflt;
        }
    }

    /** {@code WORLDMESH_TRACES_PER_SECOND}: a finite number > 0, or {@code unlimited}. */
    private static double tracesPerSecond(Map<String, String> env, double dflt, List<String> problems) {
        String key = "WORLDMESH_TRACES_PER_SECOND";
        String v = blankToNull(env.get(key));
        if (v == null) {
            return dflt;
        }
        if (v.trim().equalsIgnoreCase("unlimited")) {
            return UNLIMITED;
        }
        try {
            double n = Double.parseDouble(v.trim());
            if (n > 0 && Double.isFinite(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, as a value out of range is
        }
        problems.add(key + ": '" + v + "' is not a number > 0 or unlimited");
        return dflt;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
