package io.worldmesh.gateway;

/**
 * What the gateway may hold for one client that reads slowly or not at all, so that no client can make it queue
 * without bound. Bytes count from the write until Netty has handed them to the socket. Thread-safe: the simulation
 * thread writes snapshots and events, the connection's event loop writes replies and completes writes.
 *
 * <ul>
 *   <li>A snapshot is dropped while the write queue is full: the next tick's supersedes it.</li>
 *   <li>A reply (pong, error) is dropped while the write queue is full. If {@code maxRepliesDropped} replies in a
 *       row are dropped, the queue never having drained meanwhile, the client keeps sending without reading:
 *       close. A WebSocket ping frame counts as such a reply ({@link #pinged}).</li>
 *   <li>An event (game event, cell change, welcome) is never dropped, so it is queued even over a full write queue,
 *       up to {@code maxQueuedBytes} in all; one that would go past that means the client does not read its
 *       events: close.</li>
 * </ul>
 */
final class Outbox {

    /** What a client's messages are, as far as the bounds go. */
    enum Kind { SNAPSHOT, REPLY, EVENT }

    /** What to do with one message. */
    enum Verdict { WRITE, DROP, CLOSE }

    /**
     * Bytes held for one client at most. Snapshots and replies stop at a full write queue (Netty's high-water mark,
     * 64 KiB), so the rest is room for events.
     */
    static final long MAX_QUEUED_BYTES = 1024 * 1024;
    /** Replies dropped in a row before a client that sends but does not read is closed. */
    static final int MAX_REPLIES_DROPPED = 128;

    private final long maxQueuedBytes;
    private final int maxRepliesDropped;
    private long queuedBytes;
    private int repliesDroppedInARow;
    private boolean closing;

    Outbox(long maxQueuedBytes, int maxRepliesDropped) {
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxRepliesDropped = maxRepliesDropped;
    }

    /**
     * Decides on a message of {@code bytes} given whether the connection's write queue is full; a {@code WRITE}
     * counts the bytes as queued until {@link #written}. {@code CLOSE} comes once; after it, everything is dropped.
     */
    synchronized Verdict admit(Kind kind, int bytes, boolean writeQueueFull) {
        if (closing) {
            return Verdict.DROP;
        }
        if (!writeQueueFull) {
            repliesDroppedInARow = 0;
        }
        boolean fits = queuedBytes + bytes <= maxQueuedBytes;
        Verdict verdict = switch (kind) {
            case SNAPSHOT -> writeQueueFull || !fits ? Verdict.DROP : Verdict.WRITE;
            case REPLY -> writeQueueFull || !fits
                    ? (++repliesDroppedInARow >= maxRepliesDropped ? Verdict.CLOSE : Verdict.DROP)
                    : Verdict.WRITE;
            case EVENT -> fits ? Verdict.WRITE : Verdict.CLOSE;
        };
        if (verdict == Verdict.WRITE) {
            queuedBytes += bytes;
        } else if (verdict == Verdict.CLOSE) {
            closing = true;
        }
        return verdict;
    }

    /**
     * A WebSocket ping frame, which Vert.x answers with a pong before the gateway sees it: it cannot be dropped, but
     * while the write queue is full it counts as a reply dropped, so that a client that pings without reading is
     * closed like one that sends pings as messages. Nothing is queued here for it: {@code WRITE} means carry on.
     */
    synchronized Verdict pinged(boolean writeQueueFull) {
        if (closing) {
            return Verdict.DROP;
        }
        if (!writeQueueFull) {
            repliesDroppedInARow = 0;
            return Verdict.WRITE;
        }
        if (++repliesDroppedInARow >= maxRepliesDropped) {
            closing = true;
            return Verdict.CLOSE;
        }
        return Verdict.DROP;
    }

    /** A write of {@code bytes} is done (or failed): they no longer count. */
    synchronized void written(int bytes) {
        queuedBytes -= bytes;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }
}
