package io.worldmesh.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.node.NodeRuntime;
import io.worldmesh.telemetry.Telemetry;
import io.worldmesh.telemetry.TelemetrySettings;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes and a gateway in one JVM over real HTTP and real WebSocket links, each with its own OpenTelemetry
 * SDK (batched, as in production) into one in-memory exporter: a cross-node handover is one trace, whose spans
 * from the source, the target and the gateway hang together through the {@code traceparent} header and the
 * HOLD and ROUTE frames.
 */
class HandoverTracingTest {

    private static final WorldSettings NARROW = new WorldSettings(6, 3, 16.0, 20, 8.0, 1.0, 4, 6.0, 600, 5);
    private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

    @Test
    void oneCrossNodeHandoverIsOneTraceOverSourceTargetAndGateway() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        List<Telemetry> telemetries = new ArrayList<>();
        Function<String, OpenTelemetry> telemetry = service -> {
            Telemetry t = Telemetry.create(TelemetrySettings.defaults(service), exporter);
            telemetries.add(t);
            return t.openTelemetry();
        };
        Logger runtimeLog = (Logger) LoggerFactory.getLogger(NodeRuntime.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent e) {
                e.prepareForDeferredProcessing(); // the MDC, on the logging thread
                super.append(e);
            }
        };
        lines.start();
        runtimeLog.addAppender(lines);
        runtimeLog.setLevel(Level.INFO);
        runtimeLog.setAdditive(false);
        Vertx clients = Vertx.vertx();
        EmbeddedWorld.Config config = EmbeddedWorld.Config.forTests().withWorld(NARROW).withNodes(3);
        try (EmbeddedWorld world = EmbeddedWorld.start(config, telemetry)) {
            new BotSwarm(clients, SwarmOptions.of(world.wsUri(), 20, Duration.ofSeconds(6))).run();
            telemetries.forEach(Telemetry::flush);
            List<SpanData> spans = exporter.getFinishedSpanItems();
            Map<String, List<SpanData>> byTrace = spans.stream().collect(Collectors.groupingBy(SpanData::getTraceId));
            SpanData root = spans.stream()
                    .filter(s -> s.getName().equals("handover") && "COMMITTED".equals(attr(s, "handover.outcome")))
                    .filter(s -> complete(byTrace.get(s.getTraceId())))
                    .findFirst().orElseThrow(() -> new AssertionError("no complete committed handover among "
                            + spans.size() + " spans"));
            List<SpanData> trace = byTrace.get(root.getTraceId());
            String source = "worldmesh-node-" + attr(root, "handover.from_node");
            String target = "worldmesh-node-" + attr(root, "handover.to_node");

            assertThat(root.getParentSpanContext().isValid()).isFalse();
            assertThat(service(root)).isEqualTo(source);
            assertThat(source).isNotEqualTo(target);
            assertThat(attr(root, "handover.token")).isNotBlank();
            assertThat(attr(root, "player.id")).isNotBlank();
            assertThat(attr(root, "handover.from_cell")).matches("\\d+,\\d+");
            assertThat(attr(root, "handover.to_cell")).matches("\\d+,\\d+");
            assertThat(root.getAttributes().get(AttributeKey.longKey("handover.epoch"))).isPositive();
            assertThat(attr(root, "handover.reason")).isEqualTo("committed");

            // PREPARE is sent once; COMMIT, ROUTE and CLEANUP are resent until answered, each resend a span.
            SpanData prepare = one(children(trace, List.of(root), "handover.prepare", source, SpanKind.CLIENT));
            one(children(trace, List.of(root), "handover.commit", source, SpanKind.CLIENT));
            List<SpanData> confirms = children(trace, List.of(root), "handover.confirm", source, SpanKind.CLIENT);
            one(children(trace, List.of(root), "handover.route", source, SpanKind.INTERNAL));
            SpanData hold = one(children(trace, List.of(root), "gateway.hold", "worldmesh-gateway",
                    SpanKind.CONSUMER));
            assertThat(attr(hold, "handover.ended_by")).isEqualTo("route_switch");

            SpanData handlePrepare = one(children(trace, List.of(prepare), "handover.handle_prepare", target,
                    SpanKind.SERVER));
            assertThat(attr(handlePrepare, "handover.reply")).isEqualTo("RESERVED");
            children(trace, List.of(handlePrepare), "handover.read_decision", target, SpanKind.CLIENT);
            List<SpanData> activations = children(trace, confirms, "handover.activate", target, SpanKind.SERVER);
            assertThat(activations).allSatisfy(a -> assertThat(attr(a, "handover.reply")).isEqualTo("CONFIRMED"));
            children(trace, activations, "handover.read_owner", target, SpanKind.CLIENT);
            SpanData route = one(children(trace, activations, "handover.send_route", target, SpanKind.PRODUCER));
            List<SpanData> switches = children(trace, List.of(route), "gateway.route_switch", "worldmesh-gateway",
                    SpanKind.CONSUMER);
            children(trace, switches, "gateway.ack", "worldmesh-gateway", SpanKind.PRODUCER);
            List<SpanData> cleanups = children(trace, List.of(route), "handover.cleanup", target, SpanKind.CLIENT);
            children(trace, cleanups, "handover.handle_cleanup", source, SpanKind.SERVER);
            assertThat(trace).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));

            // The source's log line of this handover carries the trace, so logs and traces join.
            Optional<ILoggingEvent> line = List.copyOf(lines.list).stream()
                    .filter(e -> attr(root, "handover.token").equals(e.getMDCPropertyMap().get("handover_token")))
                    .findFirst();
            assertThat(line).isPresent();
            assertThat(line.get().getMDCPropertyMap()).containsEntry("trace_id", root.getTraceId())
                    .containsEntry("span_id", root.getSpanId());
        } finally {
            runtimeLog.detachAppender(lines);
            runtimeLog.setLevel(null);
            runtimeLog.setAdditive(true);
            telemetries.forEach(Telemetry::close);
            clients.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static boolean complete(List<SpanData> trace) {
        return trace.stream().map(SpanData::getName).collect(Collectors.toSet()).containsAll(List.of(
                "handover.handle_cleanup", "gateway.ack", "gateway.hold", "handover.activate"));
    }

    /** The spans called {@code name} under any of {@code parents}: at least one, each of that service and kind. */
    private static List<SpanData> children(List<SpanData> trace, List<SpanData> parents, String name,
                                           String service, SpanKind kind) {
        List<String> ids = parents.stream().map(SpanData::getSpanId).toList();
        List<SpanData> found = trace.stream().filter(s -> s.getName().equals(name)
                && ids.contains(s.getParentSpanId())).toList();
        assertThat(found).as("%s under %s in %s", name, parents.get(0).getName(), names(trace)).isNotEmpty();
        assertThat(found).allSatisfy(s -> {
            assertThat(service(s)).as("service of %s", name).isEqualTo(service);
            assertThat(s.getKind()).as("kind of %s", name).isEqualTo(kind);
        });
        return found;
    }

    private static SpanData one(List<SpanData> spans) {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    private static List<String> names(List<SpanData> trace) {
        return trace.stream().map(s -> s.getName() + "@" + service(s)).toList();
    }

    private static String service(SpanData s) {
        return s.getResource().getAttribute(SERVICE);
    }

    private static String attr(SpanData s, String key) {
        return s.getAttributes().get(AttributeKey.stringKey(key));
    }
}
