package io.worldmesh.node;

/**
 * Settings of a simulation node.
 *
 * @param nodeId           the node's name, shown to clients and in metrics
 * @param mailboxCapacity  frames from gateways waiting for the simulation thread; beyond it, offers are refused
 */
public record NodeSettings(String nodeId, int mailboxCapacity) {

    public static final NodeSettings DEFAULTS = new NodeSettings("node-1", 65_536);

    public NodeSettings {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
        if (mailboxCapacity < 16) {
            throw new IllegalArgumentException("mailbox capacity must be >= 16, was " + mailboxCapacity);
        }
    }
}
