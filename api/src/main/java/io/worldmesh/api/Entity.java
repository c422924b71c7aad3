package io.worldmesh.api;

/**
 * Something of a game's own in the world that is not a player: an orb, a flag, a door. Clients draw it from
 * its generic fields, so a new kind needs no client change. Its own state is the game's declared entity
 * properties, encoded canonically like a player's, so that it can move with its cell between nodes.
 */
public interface Entity {

    /** Unique in the world for as long as the entity exists. */
    long id();

    /** The game's name for what this is, e.g. {@code "orb"}. */
    String kind();

    double x();

    double z();

    /** A short text clients may draw beside the entity; may be empty. */
    String label();

    /** A CSS colour, e.g. {@code "#f5c542"}. */
    String color();

    /** Metres: above 0 a zone, an area clients draw as a disc ({@link EntitySpec#zone}); 0 for a point. */
    default double radius() {
        return 0;
    }

    /** Whether {@code (px, pz)} lies within {@link #radius()} of this entity. */
    default boolean covers(double px, double pz) {
        double dx = px - x();
        double dz = pz - z();
        return dx * dx + dz * dz <= radius() * radius();
    }

    /** The current value of a property the game declares for entities ({@link Game#entityProperties()}). */
    <T> T get(Property<T> property);

    /** Replaces the value of a declared entity property; values must be immutable. */
    <T> void set(Property<T> property, T value);
}
