package io.worldmesh.node.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.worldmesh.api.CellRef;
import io.worldmesh.directory.CommitOutcome;
import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.handover.Side;
import io.worldmesh.node.PeerTransport;
import io.worldmesh.node.core.DirectoryOp;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.handover.PeerJson;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.trace.TraceParent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A node's handover spans, one trace per handover, made from what the core already says: the PREPARE it sends
 * opens the root on the source, its report closes it; the peer calls, directory calls and link frames in between
 * become child spans; and the context travels to the target in the {@code traceparent} header and to the gateway
 * in the HOLD and ROUTE frames. The span tree and its attributes are in docs/handover.md, "Tracing".
 *
 * <p>Threads: {@link #observe} and the wrapped transport's calls run on the simulation thread, which alone touches
 * the source and target tables; {@link #peerRequest} runs on an event loop and only adds to the table of server
 * spans. Bounds: every table holds at most as many entries as handovers can be in flight (the handover settings'
 * limits), and an entry older than its age limit (a handover that never reports, a request never answered) is
 * ended with {@code worldmesh.evicted=true} and dropped.
 */
public final class OtelNodeTracing implements NodeTracing {

    static final long HANDOVER_MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(5);
    static final long CALL_MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int MAX_PENDING_REQUESTS = 4096;

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

    /** A handover this node is the source of. */
    private static final class Source {
        final Span root;
        final Context context;
        final String playerId;
        Span route;

        Source(Span root, String playerId) {
            this.root = root;
            this.context = Context.root().with(root);
            this.playerId = playerId;
        }
    }

    /** A handover this node is the target of; {@code context} is the latest request's server span. */
    private static final class Target {
        Context context;
        final String playerId;
        Span route;

        Target(Context context, String playerId) {
            this.context = context;
            this.playerId = playerId;
        }
    }

    private final Tracer tracer;
    private final String nodeId;
    private final SpanTable<String, Source> sources;
    private final SpanTable<String, Target> targets;
    private final Map<String, String> sourceByPlayer = new HashMap<>();
    private final Map<String, String> targetByPlayer = new HashMap<>();
    private final SpanTable<Long, Span> directoryCalls;
    private final SpanTable<Long, Span> serverSpans;
    /** The traces of the handovers reported by the last observed effects: for the log line that follows. */
    private final Map<String, TraceIds> reported = new HashMap<>();

    public OtelNodeTracing(OpenTelemetry otel, String nodeId, HandoverSettings limits) {
        this.tracer = otel.getTracer("io.worldmesh.node");
        this.nodeId = nodeId;
        this.sources = new SpanTable<>(limits.maxOutbound(), HANDOVER_MAX_AGE_NANOS, (token, s) -> {
            sourceByPlayer.remove(s.playerId, token);
            end(s.route);
            evict(s.root);
        });
        this.targets = new SpanTable<>(limits.maxReservations(), HANDOVER_MAX_AGE_NANOS, (token, t) -> {
            targetByPlayer.remove(t.playerId, token);
            evict(t.route);
        });
        this.directoryCalls = new SpanTable<>(limits.maxOutbound() + limits.maxReservations(), CALL_MAX_AGE_NANOS,
                (id, span) -> evict(span));
        this.serverSpans = new SpanTable<>(MAX_PENDING_REQUESTS, CALL_MAX_AGE_NANOS, (id, span) -> evict(span));
    }

    /** {@link #OFF} for the no-op API, so that a node with tracing off does no bookkeeping at all. */
    public static NodeTracing of(OpenTelemetry otel, String nodeId, HandoverSettings limits) {
        return otel == OpenTelemetry.noop() ? NodeTracing.OFF : new OtelNodeTracing(otel, nodeId, limits);
    }

    // ---- the simulation thread

    @Override
    public List<NodeEffect> observe(NodeInput input, List<NodeEffect> effects) {
        long now = System.nanoTime();
        reported.clear();
        sources.expire(now);
        targets.expire(now);
        directoryCalls.expire(now);
        switch (input) {
            case NodeInput.FromPeer p -> fromPeer(p.requestId(), p.request());
            case NodeInput.PeerAnswered a when a.reply() instanceof PeerReply.Confirmed c -> startRoute(c.token());
            case NodeInput.FromGateway g when g.frame() instanceof ToNode.RouteAck ack -> routeAcked(ack);
            case NodeInput.DirectoryAnswered a -> directoryAnswered(a.opId(), a.result());
            case NodeInput.DirectoryFailed f -> directoryFailed(f.opId(), f.why());
            default -> { }
        }
        List<NodeEffect> out = null;
        for (NodeEffect e : effects) {
            if (e instanceof NodeEffect.CallPeer c && c.request() instanceof PeerRequest.Prepare p
                    && !sources.contains(p.token())) {
                startRoot(p, now);
            }
        }
        for (int i = 0; i < effects.size(); i++) {
            NodeEffect e = effects.get(i);
            NodeEffect traced = switch (e) {
                case NodeEffect.ToGatewayFrame f when f.frame() instanceof ToGateway.Hold h -> hold(f, h);
                case NodeEffect.ToGatewayFrame f when f.frame() instanceof ToGateway.Route r -> route(f, r, now);
                case NodeEffect.CallDirectory d -> {
                    directoryCall(d.opId(), d.op(), now);
                    yield e;
                }
                case NodeEffect.CallPeer c when c.request() instanceof PeerRequest.Commit k -> {
                    // The commit is known: the route phase starts here, as in the source's report. Not at the
                    // CONFIRMED, which the target's CLEANUP may overtake.
                    startRoute(k.token());
                    yield e;
                }
                case NodeEffect.ReplyPeer r -> {
                    replied(r.requestId(), r.reply());
                    yield e;
                }
                case NodeEffect.Report r -> {
                    report(r.report());
                    yield e;
                }
                default -> e;
            };
            if (traced != e) {
                if (out == null) {
                    out = new ArrayList<>(effects);
                }
                out.set(i, traced);
            }
        }
        return out == null ? effects : out;
    }

    private void startRoot(PeerRequest.Prepare p, long now) {
        Span root = tracer.spanBuilder("handover").setNoParent().setSpanKind(SpanKind.INTERNAL)
                .setAttribute("handover.token", p.token())
                .setAttribute("player.id", p.playerId())
                .setAttribute("handover.from_node", p.sourceNode())
                .setAttribute("handover.to_node", p.targetNode())
                .setAttribute("handover.from_cell", cell(p.fromCell()))
                .setAttribute("handover.to_cell", cell(p.toCell()))
                .setAttribute("handover.epoch", p.epoch())
                .setAttribute("gateway.id", p.gatewayId())
                .startSpan();
        if (!root.getSpanContext().isSampled()) {
            return; // not traced (the ratio or the budget said no): nothing kept, no context sent on
        }
        Source s = new Source(root, p.playerId());
        String before = sourceByPlayer.put(p.playerId(), p.token());
        if (before != null) {
            Source old = sources.remove(before); // rule 10 allows one at a time: an old one never reported
            if (old != null) {
                end(old.route);
                evict(old.root);
            }
        }
        sources.put(p.token(), s, now);
    }

    private NodeEffect hold(NodeEffect.ToGatewayFrame f, ToGateway.Hold h) {
        String token = sourceByPlayer.get(h.playerId());
        Source s = token == null ? null : sources.get(token);
        return s == null ? f : new NodeEffect.ToGatewayFrame(f.gatewayId(), h.withTraceparent(traceparent(s.root)));
    }

    private NodeEffect route(NodeEffect.ToGatewayFrame f, ToGateway.Route r, long now) {
        String token = targetByPlayer.get(r.playerId());
        Target t = token == null ? null : targets.get(token);
        if (t == null) {
            return f;
        }
        if (t.route == null) {
            t.route = tracer.spanBuilder("handover.send_route").setParent(t.context).setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("handover.token", token).setAttribute("player.id", r.playerId())
                    .setAttribute("handover.epoch", r.epoch()).setAttribute("gateway.id", f.gatewayId())
                    .startSpan();
        } else {
            t.route.addEvent("resent");
        }
        return new NodeEffect.ToGatewayFrame(f.gatewayId(), r.withTraceparent(traceparent(t.route)));
    }

    private void fromPeer(long requestId, PeerRequest request) {
        Span server = serverSpans.get(requestId);
        Context context = server == null ? Context.root() : Context.root().with(server);
        String token = request.token();
        switch (request) {
            case PeerRequest.Prepare p -> {
                if (server != null && !targets.contains(token)) { // else its source does not trace it
                    String before = targetByPlayer.put(p.playerId(), token);
                    if (before != null) {
                        Target old = targets.remove(before);
                        if (old != null) {
                            evict(old.route);
                        }
                    }
                    targets.put(token, new Target(context, p.playerId()), System.nanoTime());
                }
            }
            case PeerRequest.Commit c -> {
                Target t = targets.get(token);
                if (t != null && server != null) {
                    t.context = context; // activation and ROUTE follow from the COMMIT
                }
            }
            case PeerRequest.Abort a -> {
                Target t = targets.get(token);
                if (t != null && server != null) {
                    t.context = context;
                }
            }
            case PeerRequest.Cleanup c -> {
                Source s = sources.get(token);
                if (s != null && s.route != null) {
                    s.route.end();
                    s.route = null;
                }
            }
        }
    }

    private void startRoute(String token) {
        Source s = sources.get(token);
        if (s != null && s.route == null) {
            s.route = tracer.spanBuilder("handover.route").setParent(s.context).setSpanKind(SpanKind.INTERNAL)
                    .setAttribute("handover.token", token).startSpan();
        }
    }

    private void routeAcked(ToNode.RouteAck ack) {
        String token = targetByPlayer.get(ack.playerId());
        Target t = token == null ? null : targets.get(token);
        if (t != null && t.route != null) {
            t.route.setAttribute("handover.acked_epoch", ack.epoch());
            t.route.end();
            t.context = Context.root().with(t.route); // the CLEANUP follows from the ACK
            t.route = null;
        }
    }

    private void directoryCall(long opId, DirectoryOp op, long now) {
        Context parent;
        String name;
        switch (op) {
            case DirectoryOp.Commit c -> {
                parent = sourceContext(c.commit().token());
                name = "handover.commit";
            }
            case DirectoryOp.Resolve r -> {
                parent = sourceContext(r.token());
                if (parent == null) {
                    parent = targetContext(r.token());
                }
                name = "handover.resolve";
            }
            case DirectoryOp.ReadDecision r -> {
                parent = targetContext(r.token());
                name = "handover.read_decision";
            }
            case DirectoryOp.ReadOwner r -> {
                String token = targetByPlayer.get(r.playerId());
                parent = token == null ? null : targetContext(token);
                name = "handover.read_owner";
            }
            default -> {
                return; // not a handover's
            }
        }
        if (parent != null) {
            directoryCalls.put(opId, tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CLIENT)
                    .setAttribute("directory.operation", name.substring("handover.".length())).startSpan(), now);
        }
    }

    private void directoryAnswered(long opId, Object result) {
        Span s = directoryCalls.remove(opId);
        if (s != null) {
            s.setAttribute("directory.result", switch (result) {
                case CommitOutcome.AlreadyDecided d -> "already_decided:" + d.decision();
                case Optional<?> o -> o.isPresent() ? String.valueOf(o.get()) : "none";
                case null -> "null";
                default -> result instanceof Record ? result.getClass().getSimpleName() : String.valueOf(result);
            });
            s.end();
        }
    }

    private void directoryFailed(long opId, String why) {
        Span s = directoryCalls.remove(opId);
        if (s != null) {
            s.setStatus(StatusCode.ERROR, why);
            s.end();
        }
    }

    private void replied(long requestId, PeerReply reply) {
        Span s = serverSpans.remove(requestId);
        if (s != null) {
            describe(s, reply);
            s.end();
        }
    }

    private void report(HandoverReport r) {
        if (r.side() == Side.SOURCE) {
            Source s = sources.remove(r.token());
            if (s == null) {
                return;
            }
            sourceByPlayer.remove(r.playerId(), r.token());
            end(s.route);
            s.root.setAttribute("handover.outcome", r.outcome().name())
                    .setAttribute("handover.reason", r.reason())
                    .setAttribute("handover.prepare_us", micros(r.prepareNanos()))
                    .setAttribute("handover.commit_us", micros(r.commitNanos()))
                    .setAttribute("handover.route_us", micros(r.routeNanos()))
                    .setAttribute("handover.total_us", micros(r.totalNanos()));
            s.root.end();
            ids(s.root.getSpanContext()).ifPresent(ids -> reported.put(r.token(), ids));
        } else {
            Target t = targets.remove(r.token());
            if (t == null) {
                return;
            }
            targetByPlayer.remove(r.playerId(), r.token());
            if (t.route != null) {
                t.route.setAttribute("handover.outcome", r.outcome().name()).setAttribute("handover.reason",
                        r.reason());
                t.route.end();
            }
            ids(Span.fromContext(t.context).getSpanContext()).ifPresent(ids -> reported.put(r.token(), ids));
        }
    }

    @Override
    public Optional<TraceIds> ids(String token) {
        return Optional.ofNullable(reported.get(token));
    }

    private Context sourceContext(String token) {
        Source s = sources.get(token);
        return s == null ? null : s.context;
    }

    private Context targetContext(String token) {
        Target t = targets.get(token);
        return t == null ? null : t.context;
    }

    /** The context a call to a peer is made in: the source's root, or the target's latest span. */
    Context callContext(PeerRequest request) {
        return switch (request) {
            case PeerRequest.Cleanup c -> targetContext(c.token());
            default -> sourceContext(request.token());
        };
    }

    // ---- the event loops

    @Override
    public void peerRequest(long requestId, PeerRequest request, String traceparent) {
        if (!TraceParent.isSampled(traceparent)) {
            return; // a handover its source does not trace: no spans here either, so none is ever a fragment
        }
        String kind = PeerJson.kind(request);
        Span s = tracer.spanBuilder(kind.equals("commit") ? "handover.activate" : "handover.handle_" + kind)
                .setParent(remoteParent(traceparent)).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", "POST").setAttribute("url.path", PeerJson.path(request))
                .setAttribute("handover.token", request.token()).setAttribute("player.id", request.playerId())
                .setAttribute("node.id", nodeId).startSpan();
        serverSpans.put(requestId, s, System.nanoTime());
    }

    @Override
    public void peerRequestRefused(long requestId) {
        Span s = serverSpans.remove(requestId);
        if (s != null) {
            s.setStatus(StatusCode.ERROR, "refused before the simulation saw it: its mailbox was full");
            s.end();
        }
    }

    /**
     * The parent a {@code traceparent} header names: only a valid 55-character one counts (anything else, however
     * long, is the root context; {@link #peerRequest} then traces nothing), so a hostile peer cannot make this throw
     * or keep more than the header Vert.x has already bounded.
     */
    static Context remoteParent(String traceparent) {
        String valid = TraceParent.orNull(traceparent);
        if (valid == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), valid, ONE_TRACEPARENT);
    }

    @Override
    public PeerTransport peers(PeerTransport delegate) {
        return new TracedPeerTransport(delegate, tracer, this);
    }

    // ---- parts

    static void describe(Span s, PeerReply reply) {
        s.setAttribute("http.response.status_code", PeerJson.status(reply));
        switch (reply) {
            case PeerReply.Rejected r -> s.setAttribute("handover.reply", "REJECTED")
                    .setAttribute("handover.reject_reason", r.reason().toString());
            case PeerReply.Refused r -> {
                s.setAttribute("handover.reply", "REFUSED").setAttribute("handover.refused_code", r.code());
                s.setStatus(StatusCode.ERROR, r.code());
            }
            case PeerReply.Reserved r -> s.setAttribute("handover.reply", "RESERVED");
            case PeerReply.Confirmed c -> s.setAttribute("handover.reply", "CONFIRMED");
            case PeerReply.Aborted a -> s.setAttribute("handover.reply", "ABORTED");
            case PeerReply.CleanedUp c -> s.setAttribute("handover.reply", "CLEANED_UP");
        }
    }

    static String traceparent(Span span) {
        SpanContext c = span.getSpanContext();
        return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
    }

    private static Optional<TraceIds> ids(SpanContext c) {
        return c.isValid() ? Optional.of(new TraceIds(c.getTraceId(), c.getSpanId())) : Optional.empty();
    }

    private static void end(Span s) {
        if (s != null) {
            s.end();
        }
    }

    private static void evict(Span s) {
        if (s != null) {
            s.setAttribute("worldmesh.evicted", true);
            s.setStatus(StatusCode.ERROR, "evicted: no end within its bound");
            s.end();
        }
    }

    private static String cell(CellRef c) {
        return c.cx() + "," + c.cz();
    }

    private static long micros(long nanos) {
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
