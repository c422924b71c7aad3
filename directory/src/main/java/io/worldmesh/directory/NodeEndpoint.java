package io.worldmesh.directory;

/**
 * Where a node is reached: its HTTP API for the handover protocol and the gateway link, as a base URL such as
 * {@code http://10.0.0.5:7101}. {@code incarnation} is unique per start of any node of the cluster; ids a node
 * mints carry it, so they never collide with another node's or with its own before a restart.
 */
public record NodeEndpoint(String nodeId, String baseUrl, long incarnation) {
}
