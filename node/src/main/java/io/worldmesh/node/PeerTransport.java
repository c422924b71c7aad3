package io.worldmesh.node;

import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;

import java.util.concurrent.CompletionStage;

/** How a node reaches its peers: a request to a named node, answered or failed; never blocks the caller. */
public interface PeerTransport extends AutoCloseable {

    /** Sends {@code request} to {@code node}; fails when the node is unknown, unreachable or does not answer. */
    CompletionStage<PeerReply> call(String node, PeerRequest request);

    @Override
    void close();
}
