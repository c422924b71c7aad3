package io.worldmesh.api;

import java.util.Objects;

/** What to spawn: the generic fields of an {@link Entity}. */
public record EntitySpec(String kind, double x, double z, String label, String color) {

    public EntitySpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(color, "color");
    }
}
