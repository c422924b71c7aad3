package io.worldmesh.node.tracing;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Open spans by key, bounded twice: at most {@code capacity} entries, and none older than {@code maxAgeNanos}
 * (a handover that never reports). Beyond either bound the oldest go first, through {@code evicted}, which ends
 * them. Thread-safe; the lock is uncontended in practice (one simulation thread, the event loops only add).
 */
final class SpanTable<K, V> {

    private record Entry<V>(V value, long bornNanos) {
    }

    private final LinkedHashMap<K, Entry<V>> map = new LinkedHashMap<>();
    private final int capacity;
    private final long maxAgeNanos;
    private final BiConsumer<K, V> evicted;

    SpanTable(int capacity, long maxAgeNanos, BiConsumer<K, V> evicted) {
        this.capacity = capacity;
        this.maxAgeNanos = maxAgeNanos;
        this.evicted = evicted;
    }

    synchronized void put(K key, V value, long nowNanos) {
        map.put(key, new Entry<>(value, nowNanos));
        expire(nowNanos);
    }

    synchronized V get(K key) {
        Entry<V> e = map.get(key);
        return e == null ? null : e.value();
    }

    synchronized boolean contains(K key) {
        return map.containsKey(key);
    }

    synchronized V remove(K key) {
        Entry<V> e = map.remove(key);
        return e == null ? null : e.value();
    }

    synchronized int size() {
        return map.size();
    }

    /** Evicts what is over the bounds; cheap when nothing is (a look at the eldest). */
    synchronized void expire(long nowNanos) {
        Iterator<Map.Entry<K, Entry<V>>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<K, Entry<V>> eldest = it.next();
            if (map.size() <= capacity && nowNanos - eldest.getValue().bornNanos() <= maxAgeNanos) {
                return;
            }
            it.remove();
            evicted.accept(eldest.getKey(), eldest.getValue().value());
        }
    }
}
