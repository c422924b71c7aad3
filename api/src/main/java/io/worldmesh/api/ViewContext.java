package io.worldmesh.api;

/**
 * What a game may read while it describes a player to its client ({@link Game#hud}, {@link Game#playerColor}):
 * read-only, and valid only during the call. These run for every player every tick, so nothing here asks the
 * store or changes the world.
 */
public interface ViewContext {

    /** The tick the snapshot is for, the same number on every node. */
    long tick();

    /** Length of one tick in seconds. */
    double tickSeconds();

    /** The whole grid. */
    WorldBounds bounds();

    /** The newest cluster-wide values this node has passed on to the game. */
    ClusterView cluster();
}
