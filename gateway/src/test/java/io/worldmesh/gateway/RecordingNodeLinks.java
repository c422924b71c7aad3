package io.worldmesh.gateway;

import io.worldmesh.protocol.link.ToNode;

import java.util.concurrent.ConcurrentLinkedQueue;

/** The node's side of a gateway's links in a test: every link up, what the gateway sent kept, a way to answer. */
final class RecordingNodeLinks implements NodeLinks {

    final ConcurrentLinkedQueue<ToNode> received = new ConcurrentLinkedQueue<>();
    volatile Receiver receiver;

    @Override
    public void connect(Receiver r) {
        this.receiver = r;
    }

    @Override
    public boolean isUp(String node) {
        return true;
    }

    @Override
    public boolean send(String node, ToNode frame) {
        received.add(frame);
        return true;
    }

    @Override
    public void close() {
    }
}
