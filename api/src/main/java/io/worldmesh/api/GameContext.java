package io.worldmesh.api;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What the engine offers a game during a hook. Valid only during the call, on the simulation thread.
 *
 * <p>A node owns some cells of the grid; entities live only in owned cells and never cross nodes.
 */
public interface GameContext {

    /** The current tick, the same number on every node of the cluster; the game's only clock. */
    long tick();

    /** Length of one tick in seconds. */
    double tickSeconds();

    /** A random source seeded from the world's seed: the same seed gives the same game. */
    RandomGenerator random();

    /** The whole grid's size; this node owns only {@link #ownedCells()}. */
    WorldBounds bounds();

    /** The cells this node owns, in grid order (row by row); never empty. */
    List<CellRef> ownedCells();

    boolean owns(CellRef cell);

    /** This node's active players, in the order they came; players frozen for a handover are not among them. */
    List<? extends GamePlayer> players();

    /** The state shared by every node of the cluster. */
    ClusterState cluster();

    /**
     * Adds an entity in the cell under its position. A position outside the world is clamped into it, and a
     * position in a cell this node does not own is moved to the nearest point of the nearest owned cell.
     */
    Entity spawn(EntitySpec spec);

    /** Removes an entity; true if it was in the world, false if it was already gone. */
    boolean remove(Entity entity);

    /**
     * Moves an entity, possibly into another cell. Like {@link #spawn}, a position in a cell this node does not own
     * becomes the nearest point of the nearest owned cell: entities never cross nodes.
     */
    void move(Entity entity, double x, double z);

    /**
     * Calls {@link Game#onTimer} for {@code player} with {@code name} after {@code ticks} ticks (1 or more), on
     * whichever node has the player then: the timer is part of the player's state, so it travels through handovers
     * and is restored with a checkpoint. Setting a timer of a name the player already has moves it. A player holds
     * at most 16; a player who leaves takes its timers along.
     *
     * @throws IllegalArgumentException for a bad name (lower case letters, digits, '_') or a tick count out of range
     * @throws IllegalStateException    when the player already holds 16 other timers
     */
    void after(GamePlayer player, long ticks, String name);

    /** Cancels the player's timer of that name, if it has one. */
    void cancel(GamePlayer player, String name);

    /** Sends an event to one player's client. */
    void send(GamePlayer to, GameEvent event);

    /** Sends an event to every player who has {@code around} in view (the 3 x 3 cells around it), itself included. */
    void sendInView(GamePlayer around, GameEvent event);
}
