package io.worldmesh.node.core;

import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.TimerKey;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.link.ToGateway;

/** What a node core asks its driver to do. */
public sealed interface NodeEffect {

    /** Send a frame on gateway {@code gatewayId}'s link; dropped if that gateway is not connected. */
    record ToGatewayFrame(String gatewayId, ToGateway frame) implements NodeEffect {
    }

    /** Send a handover request to node {@code node}; answer with {@code PeerAnswered(callId)} or unreachable. */
    record CallPeer(long callId, String node, PeerRequest request) implements NodeEffect {
    }

    /** Answer the peer request {@code requestId}. */
    record ReplyPeer(long requestId, PeerReply reply) implements NodeEffect {
    }

    /** Run a directory operation; answer with {@code DirectoryAnswered(opId)} or {@code DirectoryFailed(opId)}. */
    record CallDirectory(long opId, DirectoryOp op) implements NodeEffect {
    }

    /** Deliver {@code TimerFired(key)} at {@code atNanos} on the core's clock. */
    record SetTimer(TimerKey key, long atNanos) implements NodeEffect {
    }

    /** A handover ended on this node's side: for metrics and logs. */
    record Report(HandoverReport report) implements NodeEffect {
    }
}
