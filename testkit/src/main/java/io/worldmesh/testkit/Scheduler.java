package io.worldmesh.testkit;

import java.util.PriorityQueue;

/**
 * The virtual clock and what is due: events ordered by time, and events due at the same instant in the order they
 * were scheduled, so that a run is a function of its seed alone.
 */
final class Scheduler {

    /** One scheduled event; {@code order} breaks ties between events due at the same instant. */
    record Due(long atNanos, long order, Event event) {
    }

    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
            ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.order, b.order));
    private long now;
    private long nextOrder;

    long now() {
        return now;
    }

    /** Schedules {@code event} at {@code atNanos}, or now if that has passed. */
    void at(long atNanos, Event event) {
        queue.add(new Due(Math.max(atNanos, now), nextOrder++, event));
    }

    void after(long delayNanos, Event event) {
        at(now + delayNanos, event);
    }

    /** The next event due at or before {@code untilNanos}, with the clock moved to it; null when there is none. */
    Due next(long untilNanos) {
        Due d = queue.peek();
        if (d == null || d.atNanos > untilNanos) {
            return null;
        }
        queue.poll();
        now = d.atNanos;
        return d;
    }

    int pending() {
        return queue.size();
    }
}
