package io.worldmesh.api;

/**
 * A player as a game sees it. Position and movement belong to the engine; the game reads them and owns the
 * player's declared {@link Property properties}.
 */
public interface GamePlayer {

    String id();

    String name();

    double x();

    double z();

    CellRef cell();

    /** The current value of a declared property. */
    <T> T get(Property<T> property);

    /** Replaces the value of a declared property; values must be immutable. */
    <T> void set(Property<T> property, T value);
}
