package io.worldmesh.protocol.auth;

import java.nio.ByteBuffer;

/**
 * The nonces of requests accepted within the clock window, each kept until its request's timestamp has left the
 * window (after which the timestamp alone refuses it), and at most {@code capacity} of them. At the bound a new
 * nonce is not taken: the request is refused, never an older nonce forgotten early, which would let its request be
 * replayed. Thread-safe; the clock is the caller's.
 *
 * <p>Held in primitive arrays, not one object per nonce: a node at a few thousand requests a second keeps a hundred
 * thousand or more nonces alive for a minute, and as objects they would be copied by every young collection until
 * they were promoted. Nonces sit in a ring in the order they came; an open-addressing table (linear probing) indexes
 * them. A nonce leaves when it reaches the head of the ring past its time: one that expires earlier behind a later
 * one stays a little longer, which only takes room, never lets a replay in.
 */
public final class ReplayCache {

    public enum Seen { FIRST, AGAIN, FULL }

    private final int capacity;
    private final long[] hi;
    private final long[] lo;
    private final long[] until;
    private int head;
    private int count;
    /** Ring slot + 1 of each nonce, 0 for an empty bucket; at least twice the capacity, a power of two. */
    private final int[] table;
    private final int mask;

    public ReplayCache(int capacity) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("replay cache capacity must be 1..2^28, was " + capacity);
        }
        this.capacity = capacity;
        this.hi = new long[capacity];
        this.lo = new long[capacity];
        this.until = new long[capacity];
        this.table = new int[Integer.highestOneBit(capacity) << 2];
        this.mask = table.length - 1;
    }

    /** Remembers a 16-byte {@code nonce} until {@code keepUntilMillis}, unless it is held already or the cache full. */
    public synchronized Seen remember(byte[] nonce, long keepUntilMillis, long nowMillis) {
        while (count > 0 && until[head] < nowMillis) {
            unindex(head);
            head = next(head);
            count--;
        }
        ByteBuffer b = ByteBuffer.wrap(nonce);
        long h = b.getLong();
        long l = b.getLong();
        for (int i = bucket(h, l); table[i] != 0; i = (i + 1) & mask) {
            int slot = table[i] - 1;
            if (hi[slot] == h && lo[slot] == l) {
                return Seen.AGAIN;
            }
        }
        if (count == capacity) {
            return Seen.FULL;
        }
        int slot = (head + count) % capacity;
        hi[slot] = h;
        lo[slot] = l;
        until[slot] = keepUntilMillis;
        int i = bucket(h, l);
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
        count++;
        return Seen.FIRST;
    }

    public synchronized int size() {
        return count;
    }

    private int next(int slot) {
        return slot + 1 == capacity ? 0 : slot + 1;
    }

    private int bucket(long h, long l) {
        long x = (h ^ (l * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
        return (int) (x ^ (x >>> 31)) & mask;
    }

    /** Takes ring slot {@code slot}'s nonce out of the table, shifting back what its probe run displaced. */
    private void unindex(int slot) {
        int i = bucket(hi[slot], lo[slot]);
        while (table[i] != slot + 1) {
            i = (i + 1) & mask;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int s = table[j] - 1;
            int home = bucket(hi[s], lo[s]);
            // Move entry j into the gap if its home bucket does not lie cyclically in (gap, j].
            boolean homeInRange = gap <= j ? home > gap && home <= j : home > gap || home <= j;
            if (!homeInRange) {
                table[gap] = table[j];
                gap = j;
            }
        }
        table[gap] = 0;
    }
}
