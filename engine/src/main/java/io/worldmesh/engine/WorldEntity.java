package io.worldmesh.engine;

import io.worldmesh.api.Entity;
import io.worldmesh.api.Property;
import io.worldmesh.engine.session.SessionData;

/** A game's entity placed in the world. */
final class WorldEntity implements Entity {

    private final long id;
    private final String kind;
    private final String label;
    private final String color;
    private final double radius;
    private final SessionData properties;
    double x;
    double z;
    Cell cell;

    WorldEntity(long id, String kind, String label, String color, double radius, double x, double z,
                SessionData properties) {
        this.properties = properties;
        this.radius = radius;
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
    @Override public double radius() { return radius; }

    @Override
    public <T> T get(Property<T> property) {
        return properties.get(property);
    }

    @Override
    public <T> void set(Property<T> property, T value) {
        properties.set(property, value);
    }

    /** The entity's declared properties, canonically encodable like a player's session data. */
    public SessionData properties() {
        return properties;
    }
}
