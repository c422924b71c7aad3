package io.worldmesh.gateway.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.worldmesh.gateway.NodeLinks;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.trace.TraceParent;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's part of a handover's trace, around its links to the nodes: a HOLD that carries a trace context
 * opens {@code gateway.hold} (the player's inputs are kept) until the ROUTE switch or the RELEASE; a ROUTE with
 * one is {@code gateway.route_switch}, current while the gateway switches and replays, so that the ACK it sends
 * is {@code gateway.ack} under it. Frames without a trace context pass untouched.
 *
 * <p>Bounds: at most {@link #MAX_HOLDS} open holds, none older than {@link #HOLD_MAX_AGE_NANOS} (a HOLD whose
 * handover never ends here); beyond, the oldest is ended with {@code worldmesh.evicted=true}.
 */
public final class TracedNodeLinks implements NodeLinks {

    static final int MAX_HOLDS = 16_384;
    static final long HOLD_MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(5);

    private static final TextMapGetter<String> ONE_TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private record Hold(Span span, long bornNanos) {
    }

    private final NodeLinks links;
    private final Tracer tracer;
    private final String gatewayId;
    private final LinkedHashMap<String, Hold> holds = new LinkedHashMap<>();

    private TracedNodeLinks(NodeLinks links, OpenTelemetry otel, String gatewayId) {
        this.links = links;
        this.tracer = otel.getTracer("io.worldmesh.gateway");
        this.gatewayId = gatewayId;
    }

    /** {@code links} traced with {@code otel}; {@code links} itself when tracing is off. */
    public static NodeLinks of(NodeLinks links, OpenTelemetry otel, String gatewayId) {
        return otel == OpenTelemetry.noop() ? links : new TracedNodeLinks(links, otel, gatewayId);
    }

    @Override
    public void connect(Receiver receiver) {
        links.connect(new Receiver() {
            @Override
            public void deliver(String node, ToGateway frame) {
                traced(receiver, node, frame);
            }

            @Override
            public void linkUp(String node) {
                receiver.linkUp(node);
            }

            @Override
            public void linkDown(String node) {
                receiver.linkDown(node);
            }
        });
    }

    private void traced(Receiver receiver, String node, ToGateway frame) {
        switch (frame) {
            case ToGateway.Hold h when TraceParent.isSampled(h.traceparent()) -> {
                hold(node, h);
                receiver.deliver(node, frame);
            }
            case ToGateway.Route r -> {
                endHold(r.playerId(), "route_switch");
                if (TraceParent.isSampled(r.traceparent())) {
                    route(receiver, node, r);
                } else {
                    receiver.deliver(node, frame);
                }
            }
            case ToGateway.Release r -> {
                endHold(r.playerId(), "released");
                receiver.deliver(node, frame);
            }
            default -> receiver.deliver(node, frame);
        }
    }

    private void hold(String node, ToGateway.Hold h) {
        Span span = tracer.spanBuilder("gateway.hold").setParent(parent(h.traceparent()))
                .setSpanKind(SpanKind.CONSUMER).setAttribute("player.id", h.playerId())
                .setAttribute("handover.epoch", h.epoch()).setAttribute("handover.from_node", node)
                .setAttribute("gateway.id", gatewayId).startSpan();
        long now = System.nanoTime();
        Hold before;
        synchronized (holds) {
            before = holds.put(h.playerId(), new Hold(span, now));
            evictOld(now);
        }
        if (before != null) {
            before.span().setAttribute("handover.ended_by", "a newer hold").end();
        }
    }

    private void route(Receiver receiver, String node, ToGateway.Route r) {
        Span span = tracer.spanBuilder("gateway.route_switch").setParent(parent(r.traceparent()))
                .setSpanKind(SpanKind.CONSUMER).setAttribute("player.id", r.playerId())
                .setAttribute("handover.epoch", r.epoch()).setAttribute("handover.to_node", node)
                .setAttribute("handover.last_applied_seq", r.lastAppliedSeq())
                .setAttribute("gateway.id", gatewayId).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            receiver.deliver(node, r);
        } finally {
            span.end();
        }
    }

    private void endHold(String playerId, String how) {
        Hold h;
        synchronized (holds) {
            h = holds.remove(playerId);
        }
        if (h != null) {
            h.span().setAttribute("handover.ended_by", how).end();
        }
    }

    private void evictOld(long now) {
        Iterator<Hold> it = holds.values().iterator();
        while (it.hasNext()) {
            Hold eldest = it.next();
            if (holds.size() <= MAX_HOLDS && now - eldest.bornNanos() <= HOLD_MAX_AGE_NANOS) {
                return;
            }
            it.remove();
            eldest.span().setAttribute("worldmesh.evicted", true)
                    .setStatus(StatusCode.ERROR, "evicted: no ROUTE or RELEASE within its bound").end();
        }
    }

    int openHolds() {
        synchronized (holds) {
            return holds.size();
        }
    }

    @Override
    public boolean isUp(String node) {
        return links.isUp(node);
    }

    @Override
    public boolean send(String node, ToNode frame) {
        if (frame instanceof ToNode.RouteAck ack && Span.current().getSpanContext().isValid()) {
            Span span = tracer.spanBuilder("gateway.ack").setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("player.id", ack.playerId()).setAttribute("handover.epoch", ack.epoch())
                    .setAttribute("node.id", node).startSpan();
            boolean sent = links.send(node, frame);
            if (!sent) {
                span.setStatus(StatusCode.ERROR, "the link to " + node + " is down");
            }
            span.end();
            return sent;
        }
        return links.send(node, frame);
    }

    /** The codec kept only a valid traceparent; checked again, as this is the gateway's trust boundary. */
    static Context parent(String traceparent) {
        String valid = TraceParent.orNull(traceparent);
        return valid == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), valid, ONE_TRACEPARENT);
    }

    @Override
    public void close() {
        synchronized (holds) {
            holds.values().forEach(h -> h.span().setAttribute("handover.ended_by", "gateway closed").end());
            holds.clear();
        }
        links.close();
    }
}
