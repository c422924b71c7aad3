package io.worldmesh.node.core;

import io.worldmesh.handover.HandoverSettings;

/**
 * What a node core is configured with.
 *
 * @param nodeId     the node's name in the directory, in metrics and on the client's HUD
 * @param handover   the handover's timeouts and bounds
 * @param tickNanos  length of one tick
 * @param checkpointNanos  how often the node writes its players' state to the session store; 0 writes none
 * @param lease      the node's lease, or null for a node that holds none (one process, where nothing can die alone)
 */
public record NodeCoreSettings(String nodeId, HandoverSettings handover, long tickNanos, long checkpointNanos,
                               LeaseTerms lease) {

    /** A node without checkpoints or a lease. */
    public NodeCoreSettings(String nodeId, HandoverSettings handover, long tickNanos) {
        this(nodeId, handover, tickNanos, 0, null);
    }

    public NodeCoreSettings {
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 64 || !nodeId.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("node id must be 1-64 of [A-Za-z0-9_.-], was '" + nodeId + "'");
        }
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("tick length must be > 0, was " + tickNanos);
        }
        if (checkpointNanos < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, was " + checkpointNanos);
        }
    }
}
