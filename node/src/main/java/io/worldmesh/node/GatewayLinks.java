package io.worldmesh.node;

import io.worldmesh.protocol.link.ToGateway;

/** Where a node's frames for gateways go: one link per gateway. Called on the simulation thread; never blocks. */
public interface GatewayLinks {

    /** Sends a frame to gateway {@code gatewayId}; dropped (and counted) when that gateway is not connected. */
    void send(String gatewayId, ToGateway frame);

    /**
     * Sends what {@link #send} has gathered; called once the effects of one input are carried out. A transport
     * that sends at once does nothing here.
     */
    default void flush() {
    }

    /**
     * Called on the simulation thread as it takes {@code NodeInput.GatewayLinked} for {@code gatewayId}, before the
     * core sees it: frames from then on go on that newest link. A transport that switches links at once does nothing.
     */
    default void activate(String gatewayId) {
    }
}
