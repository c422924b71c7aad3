package io.worldmesh.flags;

import java.util.Map;
import java.util.Objects;

/**
 * One flag of a flag file, validated: every variant holds a value of {@code type} (Boolean, String, Long or
 * Double), and {@code defaultVariant} names one of them.
 *
 * @param targetingIgnored the flag had a non-empty {@code targeting} rule, which this module does not evaluate:
 *                         the flag resolves to its default variant regardless
 */
public record FlagDefinition(String key, FlagState state, VariantType type, Map<String, Object> variants,
                             String defaultVariant, boolean targetingIgnored) {

    public FlagDefinition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(type, "type");
        variants = Map.copyOf(variants);
        Objects.requireNonNull(defaultVariant, "defaultVariant");
        if (!variants.containsKey(defaultVariant)) {
            throw new IllegalArgumentException("defaultVariant '" + defaultVariant + "' is not a variant of " + key);
        }
        Class<?> held = switch (type) {
            case BOOLEAN -> Boolean.class;
            case STRING -> String.class;
            case INTEGER -> Long.class;
            case DOUBLE -> Double.class;
        };
        variants.forEach((name, value) -> {
            if (!held.isInstance(value)) {
                throw new IllegalArgumentException("variant '" + name + "' of " + key + " is not a " + type.label());
            }
        });
    }

    /** The value of the default variant: what an ENABLED flag resolves to. */
    public Object defaultValue() {
        return variants.get(defaultVariant);
    }
}
