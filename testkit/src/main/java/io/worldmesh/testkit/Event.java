package io.worldmesh.testkit;

import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.link.ToGateway;

/** Everything that can happen at one instant of virtual time; nodes, clients and the gateway are numbered. */
sealed interface Event {

    /** Node {@code node}'s next tick is due. */
    record Tick(int node) implements Event {
    }

    /** An input for node {@code node}'s core: a link frame, a peer request, an answer, a timer. */
    record ToNode(int node, NodeInput input) implements Event {
    }

    /** A peer's reply reaches the caller's transport; it counts only if the call is still open. */
    record PeerReplyArrives(int caller, long callId, PeerReply reply) implements Event {
    }

    /** The caller's request timeout: "unreachable", unless the call was answered first. */
    record PeerCallTimesOut(int caller, long callId) implements Event {
    }

    /** A directory call reaches the directory and is applied there. */
    record DirectoryReceives(DirectoryCall call) implements Event {
    }

    /** The gateway's owner lookup for a resuming client is answered; {@code node} is null when it failed. */
    record OwnerLookedUp(long connectionId, String node) implements Event {
    }

    /** A frame from node {@code node} reaches the gateway on that node's link. */
    record ToGatewayFrame(int node, ToGateway frame) implements Event {
    }

    /** Client {@code client} acts: hello, an input, a disconnect. */
    record ClientTurn(int client) implements Event {
    }

    /** The fault phase is over. */
    record Heal() implements Event {
    }
}
