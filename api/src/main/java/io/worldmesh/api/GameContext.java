package io.worldmesh.api;

import java.util.random.RandomGenerator;

/**
 * What the engine offers a game during a hook. Valid only during the call, on the simulation thread.
 */
public interface GameContext {

    /** The current tick; the game's only clock. */
    long tick();

    /** Length of one tick in seconds. */
    double tickSeconds();

    /** A random source seeded from the world's seed: the same seed gives the same game. */
    RandomGenerator random();

    WorldBounds bounds();

    /** Adds an entity to the world, in the cell under its position (clamped into the world). */
    Entity spawn(EntitySpec spec);

    /** Removes an entity; true if it was in the world, false if it was already gone. */
    boolean remove(Entity entity);

    /** Moves an entity, possibly into another cell. */
    void move(Entity entity, double x, double z);

    /** Sends an event to one player's client. */
    void send(GamePlayer to, GameEvent event);

    /** Sends an event to every player who has {@code around} in view (the 3 x 3 cells around it), itself included. */
    void sendInView(GamePlayer around, GameEvent event);
}
