package io.worldmesh.api;

import java.util.TreeMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Something a game tells clients, e.g. {@code tagged {by: "p3"}}. Clients show events they do not know in their
 * log, so a new event needs no client change.
 *
 * @param name  lower case letters, digits and '_'
 * @param data  flat fields whose values are strings, whole numbers, doubles or booleans
 */
public record GameEvent(String name, Map<String, Object> data) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public GameEvent {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad event name: " + name);
        }
        Map<String, Object> copy = new TreeMap<>(); // sorted, so that an event always encodes the same way
        data.forEach((k, v) -> {
            if (!NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("bad event field name: " + k);
            }
            if (!(v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Double
                    || v instanceof Boolean)) {
                throw new IllegalArgumentException("event field " + k + " must be a string, number or boolean");
            }
            copy.put(k, Objects.requireNonNull(v));
        });
        data = java.util.Collections.unmodifiableMap(copy);
    }

    public static GameEvent of(String name) {
        return new GameEvent(name, Map.of());
    }
}
