package io.worldmesh.protocol.link;

/**
 * The gateway's way into a simulation. In one process it is the node's mailbox; across processes it is a
 * network link carrying the same frames. {@link #connect} is called once, before any {@link #offer}.
 */
public interface SimulationLink {

    /** Registers where this simulation sends its frames for the gateway. */
    void connect(GatewaySink sink);

    /** Hands a frame to the simulation without blocking; false when its queue is full. */
    boolean offer(ToNode frame);
}
