package io.worldmesh.node.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.worldmesh.protocol.link.LinkCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One gateway's link as the node writes it. Frames are gathered on the simulation thread and written when the
 * runtime has carried out one input's effects ({@link #flush()}): as one batch ({@link LinkCodec#BATCH_VERSION})
 * when the gateway asked for batches, else one message per frame. A tick's snapshots for a gateway so cost one
 * hand-off to the event loop and one socket write instead of one per player. A batch holds at most
 * {@link #BATCH_BYTES} (unless it is a single larger frame) and {@link LinkCodec#MAX_BATCH_FRAMES} frames; past
 * either, what is gathered is written at once and a new batch begins.
 */
final class GatewayLink {

    static final int BATCH_BYTES = 256 * 1024;

    private final ServerWebSocket ws;
    private final boolean batches;
    /** Bytes handed to the WebSocket that Netty has not written to the socket yet; read on any thread. */
    private final AtomicLong queued = new AtomicLong();
    // Touched only on the simulation thread.
    private final List<byte[]> pending = new ArrayList<>();
    private long pendingBytes;

    GatewayLink(ServerWebSocket ws, boolean batches) {
        this.ws = ws;
        this.batches = batches;
    }

    ServerWebSocket ws() {
        return ws;
    }

    boolean isClosed() {
        return ws.isClosed();
    }

    /** Bytes written and gathered that the socket has not taken yet. */
    long backlog() {
        return queued.get() + pendingBytes;
    }

    /** Adds one encoded frame, written now or at {@link #flush()}; returns how many frames a closed link lost. */
    int add(byte[] frame) {
        if (!batches) {
            return write(frame) ? 0 : 1;
        }
        int lost = 0;
        if (!pending.isEmpty() && pendingBytes + frame.length > BATCH_BYTES) {
            lost = flush();
        }
        pending.add(frame);
        pendingBytes += frame.length;
        if (pending.size() >= LinkCodec.MAX_BATCH_FRAMES) {
            lost += flush();
        }
        return lost;
    }

    /** Has nothing gathered. */
    boolean idle() {
        return pending.isEmpty();
    }

    /** Writes what is gathered: a lone frame as itself, several as one batch; returns how many frames were lost. */
    int flush() {
        int frames = pending.size();
        if (frames == 0) {
            return 0;
        }
        byte[] message = frames == 1 ? pending.getFirst() : LinkCodec.batch(pending);
        pending.clear();
        pendingBytes = 0;
        return write(message) ? 0 : frames;
    }

    private boolean write(byte[] message) {
        Buffer bytes = Buffer.buffer(message);
        int n = bytes.length();
        queued.addAndGet(n);
        try {
            ws.writeBinaryMessage(bytes).onComplete(done -> queued.addAndGet(-n));
            return true;
        } catch (IllegalStateException closedMeanwhile) {
            queued.addAndGet(-n);
            return false;
        }
    }
}
