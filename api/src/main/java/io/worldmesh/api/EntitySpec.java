package io.worldmesh.api;

import java.util.Objects;

/**
 * What to spawn: the generic fields of an {@link Entity}.
 *
 * @param radius  metres: above 0 the entity is an area, a zone, that clients draw as a disc of that radius (a
 *                hill, a pool, a safe area); 0 for a thing at a point. At most {@link #MAX_RADIUS_M}
 */
public record EntitySpec(String kind, double x, double z, String label, String color, double radius) {

    /** The largest zone: a kilometre. */
    public static final double MAX_RADIUS_M = 1000;

    public EntitySpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(color, "color");
        if (!(radius >= 0 && radius <= MAX_RADIUS_M)) {
            throw new IllegalArgumentException("an entity's radius is 0.." + MAX_RADIUS_M + " m, was " + radius);
        }
    }

    /** A thing at a point. */
    public EntitySpec(String kind, double x, double z, String label, String color) {
        this(kind, x, z, label, color, 0);
    }

    /** A zone: an area of {@code radius} metres around {@code (x, z)}, drawn as a disc. */
    public static EntitySpec zone(String kind, double x, double z, double radius, String label, String color) {
        return new EntitySpec(kind, x, z, label, color, radius);
    }
}
