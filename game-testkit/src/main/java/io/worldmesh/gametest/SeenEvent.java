package io.worldmesh.gametest;

import java.util.Map;

/**
 * A game event a player was sent, as its client would get it.
 *
 * @param tick    the tick it was sent in
 * @param player  the id of the player it was sent to
 * @param name    the event's name
 * @param data    its fields: whole numbers as {@code Long}, others as {@code Double}, {@code String} or
 *                {@code Boolean}, in name order
 */
public record SeenEvent(long tick, String player, String name, Map<String, Object> data) {

    public SeenEvent {
        data = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(data));
    }

    /** A whole-number field; fails when it is missing or not a whole number. */
    public long number(String field) {
        if (data.get(field) instanceof Long n) {
            return n;
        }
        throw new AssertionError("event '" + name + "' has no whole-number field '" + field + "': " + data);
    }

    /** A text field; fails when it is missing or not text. */
    public String text(String field) {
        if (data.get(field) instanceof String s) {
            return s;
        }
        throw new AssertionError("event '" + name + "' has no text field '" + field + "': " + data);
    }
}
