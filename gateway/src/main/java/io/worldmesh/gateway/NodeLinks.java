package io.worldmesh.gateway;

import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;

/** The gateway's links to the simulation nodes: one persistent, multiplexed link per node. */
public interface NodeLinks extends AutoCloseable {

    /** Where frames from nodes go; called on an IO thread, must not block. */
    @FunctionalInterface
    interface Receiver {
        void deliver(String node, ToGateway frame);

        /** The link to {@code node} is up (again): what was sent while it was down may be lost. */
        default void linkUp(String node) {
        }

        /** The link to {@code node} is down: nothing goes to it until {@link #linkUp} has replayed what it missed. */
        default void linkDown(String node) {
        }
    }

    /** Registers the receiver; called once, before any {@link #send}. */
    void connect(Receiver receiver);

    /** Sends a frame to a node without blocking; false when that node's link is down (the frame is dropped). */
    boolean send(String node, ToNode frame);

    /** Whether the link to {@code node} is up now (a frame sent may still be lost with it). */
    boolean isUp(String node);

    @Override
    void close();
}
