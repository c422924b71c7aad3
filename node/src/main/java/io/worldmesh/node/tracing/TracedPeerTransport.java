package io.worldmesh.node.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.worldmesh.node.PeerTransport;
import io.worldmesh.protocol.handover.PeerJson;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;

import java.util.concurrent.CompletionStage;

/**
 * A peer transport whose every handover call is a client span, child of the handover's span, and current while
 * the request is built, so that the HTTP client writes its {@code traceparent} header. Called on the simulation
 * thread; the span ends on whichever thread the answer comes.
 */
final class TracedPeerTransport implements PeerTransport {

    private final PeerTransport delegate;
    private final Tracer tracer;
    private final OtelNodeTracing tracing;

    TracedPeerTransport(PeerTransport delegate, Tracer tracer, OtelNodeTracing tracing) {
        this.delegate = delegate;
        this.tracer = tracer;
        this.tracing = tracing;
    }

    @Override
    public CompletionStage<PeerReply> call(String node, PeerRequest request) {
        Context parent = tracing.callContext(request);
        if (parent == null) {
            return delegate.call(node, request);
        }
        String kind = PeerJson.kind(request);
        Span span = tracer.spanBuilder(kind.equals("commit") ? "handover.confirm" : "handover." + kind)
                .setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", "POST").setAttribute("url.path", PeerJson.path(request))
                .setAttribute("peer.node", node).startSpan();
        CompletionStage<PeerReply> reply;
        try (Scope ignored = parent.with(span).makeCurrent()) {
            reply = delegate.call(node, request);
        }
        return reply.whenComplete((r, error) -> {
            if (error != null) {
                span.setStatus(StatusCode.ERROR, "unreachable: " + error.getMessage());
            } else {
                OtelNodeTracing.describe(span, r);
            }
            span.end();
        });
    }

    @Override
    public void close() {
        delegate.close();
    }
}
