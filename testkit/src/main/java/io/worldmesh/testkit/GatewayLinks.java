package io.worldmesh.testkit;

import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;

/**
 * The gateway's one WebSocket to each node, both ways: frames may be delayed, and a link may stall, but frames never
 * overtake each other on one link (a frame is due no earlier than the one sent before it, and ties keep their
 * scheduling order). Frames on different links are not ordered against each other.
 */
final class GatewayLinks {

    private final Scheduler scheduler;
    private final Latency latency;
    private final String gatewayId;
    private final long[] lastToNode;
    private final long[] lastToGateway;
    private Faults faults;

    GatewayLinks(Scheduler scheduler, Latency latency, String gatewayId, int nodes, Faults faults) {
        this.scheduler = scheduler;
        this.latency = latency;
        this.gatewayId = gatewayId;
        this.lastToNode = new long[nodes];
        this.lastToGateway = new long[nodes];
        this.faults = faults;
    }

    void faults(Faults f) {
        this.faults = f;
    }

    void toNode(int node, ToNode frame) {
        lastToNode[node] = due(lastToNode[node]);
        scheduler.at(lastToNode[node], new Event.ToNode(node, new NodeInput.FromGateway(gatewayId, frame)));
    }

    void toGateway(int node, ToGateway frame) {
        lastToGateway[node] = due(lastToGateway[node]);
        scheduler.at(lastToGateway[node], new Event.ToGatewayFrame(node, frame));
    }

    private long due(long previous) {
        long delay = latency.draw(faults.linkDelayMax());
        if (latency.chance(faults.linkStallRate())) {
            delay += latency.draw(faults.linkStallMax());
        }
        return Math.max(previous, scheduler.now() + delay);
    }
}
