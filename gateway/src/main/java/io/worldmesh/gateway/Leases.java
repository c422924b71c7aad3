package io.worldmesh.gateway;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many of something each key holds (connections per remote address, say), each key up to a limit. What is
 * admitted gets a {@link Lease} to give back once; a key that holds nothing takes no room, so the map is as large
 * as what is held. Thread-safe.
 */
final class Leases {

    /** One admitted thing; {@link #release} gives it back, once however often it is called. */
    final class Lease {
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(String key) {
            this.key = key;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                held.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    private final int limit;
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    Leases(int limit) {
        this.limit = limit;
    }

    /** A lease, or empty when {@code key} already holds the limit. */
    Optional<Lease> acquire(String key) {
        boolean[] granted = {false};
        held.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= limit) {
                return n;
            }
            granted[0] = true;
            return now + 1;
        });
        return granted[0] ? Optional.of(new Lease(key)) : Optional.empty();
    }

    int held(String key) {
        return held.getOrDefault(key, 0);
    }

    /** Keys that hold something. */
    int keys() {
        return held.size();
    }

    int limit() {
        return limit;
    }
}
