package io.worldmesh.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A typed, versioned piece of a player's session data. The set of properties a game declares is exactly what a
 * handover carries: the engine encodes them canonically with their codecs, in declaration order, under their name
 * and version. A receiver that does not know a name or version refuses the state rather than drop it.
 *
 * @param name     unique within a game; lower case letters, digits, '_' and '.'
 * @param version  bumped whenever the codec's encoding changes
 * @param codec    the canonical encoding of values
 * @param initial  the value a new player starts with; must not be null
 * @param <T>      the value type; values must be immutable
 */
public record Property<T>(String name, int version, Codec<T> codec, T initial) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]{0,62}");

    public Property {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(initial, "initial");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad property name: " + name);
        }
        if (version < 1) {
            throw new IllegalArgumentException("property version must be >= 1: " + name);
        }
    }

    /** A version-1 property. */
    public static <T> Property<T> of(String name, Codec<T> codec, T initial) {
        return new Property<>(name, 1, codec, initial);
    }
}
