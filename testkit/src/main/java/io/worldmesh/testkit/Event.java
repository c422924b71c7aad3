package io.worldmesh.testkit;

import io.worldmesh.directory.CellAssignment;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.link.ToGateway;

/**
 * Everything that can happen at one instant of virtual time; nodes, clients and the gateway are numbered. An event
 * for a node names the life of its process it is meant for ({@link NodeLives}); link frames name the link they
 * travel on ({@link GatewayLinks}), and are lost with it.
 */
sealed interface Event {

    /** Node {@code node}'s next tick is due. */
    record Tick(int node) implements Event {
    }

    /** An input for life {@code life} of node {@code node}'s core: a peer request, an answer, a timer. */
    record ToNode(int node, long life, NodeInput input) implements Event {
    }

    /** Something from the gateway on link {@code link} to node {@code node}: a frame, or the link's handshake. */
    record LinkToNode(int node, long link, NodeInput input) implements Event {
    }

    /** A peer's reply reaches the caller's transport; it counts only if the call is still open. */
    record PeerReplyArrives(int caller, long callerLife, long callId, PeerReply reply) implements Event {
    }

    /** The caller's request timeout: "unreachable", unless the call was answered first. */
    record PeerCallTimesOut(int caller, long callerLife, long callId) implements Event {
    }

    /** A directory call reaches the directory and is applied there, unless it is down. */
    record DirectoryReceives(DirectoryCall call) implements Event {
    }

    /** The gateway's owner lookup for a resuming client is answered; {@code node} is null when it failed. */
    record OwnerLookedUp(long gatewayLife, long connectionId, String node, boolean answered) implements Event {
    }

    /** The gateway reads the cell assignment, as {@code GatewayCommand} does every second. */
    record GatewayReadsAssignment() implements Event {
    }

    /** The gateway's read of the cell assignment is answered ({@code assignment} null when it failed). */
    record AssignmentRead(long gatewayLife, CellAssignment assignment) implements Event {
    }

    /** A frame from node {@code node} reaches the gateway on link {@code link}. */
    record ToGatewayFrame(int node, long link, ToGateway frame) implements Event {
    }

    /** Client {@code client} acts: hello, an input, a disconnect. */
    record ClientTurn(int client) implements Event {
    }

    /** The gateway refused client {@code client}'s connection {@code connectionId} (it was down, or the node's link). */
    record ConnectionRefused(int client, long connectionId) implements Event {
    }

    /** A crashed (or stopped) node's supervisor starts it again. */
    record NodeStarts(int node) implements Event {
    }

    /** The gateway's link to node {@code node} is up again (its handshake done, from either end's restart). */
    record LinkUp(int node, long link) implements Event {
    }

    /** The gateway's process starts again after a crash. */
    record GatewayStarts() implements Event {
    }

    /** The directory is back after an outage. */
    record DirectoryBack() implements Event {
    }

    /** The fault phase is over. */
    record Heal() implements Event {
    }
}
