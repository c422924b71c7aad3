package io.worldmesh.node.tracing;

import io.worldmesh.node.PeerTransport;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.handover.PeerRequest;

import java.util.List;
import java.util.Optional;

/**
 * Where a node's handover spans are made: outside the sans-IO core, from the inputs it takes and the effects it
 * returns, keyed by the handover token ({@link OtelNodeTracing}). {@link #OFF} does nothing and costs nothing.
 */
public interface NodeTracing {

    /** The trace and span of a handover, for the log line's MDC. */
    record TraceIds(String traceId, String spanId) {
    }

    NodeTracing OFF = new NodeTracing() {
        @Override
        public List<NodeEffect> observe(NodeInput input, List<NodeEffect> effects) {
            return effects;
        }

        @Override
        public void peerRequest(long requestId, PeerRequest request, String traceparent) {
        }

        @Override
        public void peerRequestRefused(long requestId) {
        }

        @Override
        public PeerTransport peers(PeerTransport delegate) {
            return delegate;
        }

        @Override
        public Optional<TraceIds> ids(String token) {
            return Optional.empty();
        }
    };

    /**
     * On the simulation thread: the effects of one input, before they are carried out. Returns them with the
     * handover's trace context on its HOLD and ROUTE frames (the same list when there is nothing to add).
     */
    List<NodeEffect> observe(NodeInput input, List<NodeEffect> effects);

    /**
     * On an event loop, before the request is offered to the simulation: a peer's handover request numbered
     * {@code requestId}, with its {@code traceparent} header (null, or garbage, which is ignored).
     */
    void peerRequest(long requestId, PeerRequest request, String traceparent);

    /** The request {@code requestId} was refused before the simulation saw it (its mailbox was full). */
    void peerRequestRefused(long requestId);

    /** {@code delegate}, with every call a client span whose context goes with the request. */
    PeerTransport peers(PeerTransport delegate);

    /** The trace of the handover {@code token} reported by the effects just observed, if it was traced. */
    Optional<TraceIds> ids(String token);
}
