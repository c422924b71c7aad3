package io.worldmesh.testkit;

import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;

/**
 * The gateway's one WebSocket to each node, both ways: frames may be delayed, and a link may stall, but frames never
 * overtake each other on one link (a frame is due no earlier than the one sent before it, and ties keep their
 * scheduling order). Frames on different links are not ordered against each other. A link dies with either end's
 * process: what is on its way is lost, and nothing goes over it until the gateway has dialled the node again, which
 * is a new link.
 */
final class GatewayLinks {

    private final Scheduler scheduler;
    private final Latency latency;
    private final String gatewayId;
    private final long[] lastToNode;
    private final long[] lastToGateway;
    private final long[] link;
    private final boolean[] up;
    private Faults faults;

    GatewayLinks(Scheduler scheduler, Latency latency, String gatewayId, int nodes, Faults faults) {
        this.scheduler = scheduler;
        this.latency = latency;
        this.gatewayId = gatewayId;
        this.lastToNode = new long[nodes];
        this.lastToGateway = new long[nodes];
        this.link = new long[nodes];
        this.up = new boolean[nodes];
        java.util.Arrays.fill(up, true);
        this.faults = faults;
    }

    void faults(Faults f) {
        this.faults = f;
    }

    Latency latency() {
        return latency;
    }

    long link(int node) {
        return link[node];
    }

    boolean up(int node) {
        return up[node];
    }

    /** Whether something sent on {@code sentOn} still travels: that link is the one up now. */
    boolean carries(int node, long sentOn) {
        return up[node] && link[node] == sentOn;
    }

    /** An end of the link died: it is gone, with what was on it. */
    void down(int node) {
        if (up[node]) {
            up[node] = false;
            link[node]++;
        }
    }

    /** The gateway has dialled the node again: a new link, empty both ways. */
    void reopened(int node) {
        up[node] = true;
        lastToNode[node] = scheduler.now();
        lastToGateway[node] = scheduler.now();
    }

    void toNode(int node, ToNode frame) {
        toNode(node, new NodeInput.FromGateway(gatewayId, frame));
    }

    /** A frame, or the link's handshake; nothing goes over a link that is down. */
    void toNode(int node, NodeInput input) {
        if (!up[node]) {
            return;
        }
        lastToNode[node] = due(lastToNode[node]);
        scheduler.at(lastToNode[node], new Event.LinkToNode(node, link[node], input));
    }

    void toGateway(int node, ToGateway frame) {
        if (!up[node]) {
            return;
        }
        lastToGateway[node] = due(lastToGateway[node]);
        scheduler.at(lastToGateway[node], new Event.ToGatewayFrame(node, link[node], frame));
    }

    private long due(long previous) {
        long delay = latency.draw(faults.linkDelayMax());
        if (latency.chance(faults.linkStallRate())) {
            delay += latency.draw(faults.linkStallMax());
        }
        return Math.max(previous, scheduler.now() + delay);
    }
}
