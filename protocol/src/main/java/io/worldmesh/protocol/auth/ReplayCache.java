package io.worldmesh.protocol.auth;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The nonces of requests accepted within the clock window, each kept until its request's timestamp has left the
 * window (after which the timestamp alone refuses it), and at most {@code capacity} of them. At the bound a new
 * nonce is not taken: the request is refused, never an older nonce forgotten early, which would let its request be
 * replayed. Thread-safe; the clock is the caller's.
 */
public final class ReplayCache {

    public enum Seen { FIRST, AGAIN, FULL }

    private record Nonce(long hi, long lo) {
    }

    private record Held(long keepUntilMillis, Nonce nonce) {
    }

    private final int capacity;
    private final Set<Nonce> nonces = new HashSet<>();
    private final PriorityQueue<Held> byExpiry = new PriorityQueue<>(
            (a, b) -> Long.compare(a.keepUntilMillis(), b.keepUntilMillis()));

    public ReplayCache(int capacity) {
        this.capacity = capacity;
    }

    /** Remembers a 16-byte {@code nonce} until {@code keepUntilMillis}, unless it is held already or the cache full. */
    public synchronized Seen remember(byte[] nonce, long keepUntilMillis, long nowMillis) {
        while (!byExpiry.isEmpty() && byExpiry.peek().keepUntilMillis() < nowMillis) {
            nonces.remove(byExpiry.poll().nonce());
        }
        ByteBuffer b = ByteBuffer.wrap(nonce);
        Nonce n = new Nonce(b.getLong(), b.getLong());
        if (nonces.contains(n)) {
            return Seen.AGAIN;
        }
        if (nonces.size() >= capacity) {
            return Seen.FULL;
        }
        nonces.add(n);
        byExpiry.add(new Held(keepUntilMillis, n));
        return Seen.FIRST;
    }

    public synchronized int size() {
        return nonces.size();
    }
}
