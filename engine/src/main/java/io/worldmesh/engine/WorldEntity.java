package io.worldmesh.engine;

import io.worldmesh.api.Entity;

/** A game's entity placed in the world. */
final class WorldEntity implements Entity {

    private final long id;
    private final String kind;
    private final String label;
    private final String color;
    double x;
    double z;
    Cell cell;

    WorldEntity(long id, String kind, String label, String color, double x, double z) {
        this.id = id;
        this.kind = kind;
        this.label = label;
        this.color = color;
        this.x = x;
        this.z = z;
    }

    @Override public long id() { return id; }
    @Override public String kind() { return kind; }
    @Override public double x() { return x; }
    @Override public double z() { return z; }
    @Override public String label() { return label; }
    @Override public String color() { return color; }
}
