package io.worldmesh.protocol.auth;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay cache against a plain model of what it promises (nonces in arrival order, each gone once it is at the
 * head past its time, refused at capacity), over seeded random runs that repeat nonces, wrap the ring many times and
 * fill it: every answer and size must agree.
 */
class ReplayCacheTest {

    private record Entry(long hi, long lo, long until) {
    }

    private static byte[] nonce(long hi, long lo) {
        return ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    @Test
    void itAnswersAsTheModelDoesOverLongRandomRuns() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int capacity = 1 + random.nextInt(64);
            ReplayCache cache = new ReplayCache(capacity);
            Deque<Entry> ring = new ArrayDeque<>();
            Set<String> held = new HashSet<>();
            long now = 1_000;
            for (int step = 0; step < 20_000; step++) {
                now += random.nextInt(3);
                // Few distinct values, so that repeats and probe collisions are common.
                long hi = random.nextInt(40);
                long lo = random.nextInt(4);
                long until = now + random.nextInt(60);
                while (!ring.isEmpty() && ring.peekFirst().until() < now) {
                    Entry gone = ring.removeFirst();
                    held.remove(gone.hi() + ":" + gone.lo());
                }
                ReplayCache.Seen expected;
                if (held.contains(hi + ":" + lo)) {
                    expected = ReplayCache.Seen.AGAIN;
                } else if (ring.size() == capacity) {
                    expected = ReplayCache.Seen.FULL;
                } else {
                    expected = ReplayCache.Seen.FIRST;
                    ring.addLast(new Entry(hi, lo, until));
                    held.add(hi + ":" + lo);
                }
                assertThat(cache.remember(nonce(hi, lo), until, now)).as("seed %d step %d", seed, step)
                        .isEqualTo(expected);
                assertThat(cache.size()).isEqualTo(ring.size());
            }
        }
    }
}
