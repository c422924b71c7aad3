package io.worldmesh.protocol.link;

/** Where a simulation delivers frames for a gateway. Must not block: it is called on the simulation thread. */
@FunctionalInterface
public interface GatewaySink {

    void deliver(ToGateway frame);
}
