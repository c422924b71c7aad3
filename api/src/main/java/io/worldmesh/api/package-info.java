/**
 * The Worldmesh game API: what a game compiles against.
 *
 * <p>A {@link io.worldmesh.api.Game} declares the {@link io.worldmesh.api.Property properties} that make up a
 * player's session data, reacts to hooks that the engine calls on its simulation thread, spawns and removes
 * {@link io.worldmesh.api.Entity entities} of its own kinds and declares {@link io.worldmesh.api.Invariant
 * invariants} that checkers measure on every node and combine over the cluster. World-wide state lives in
 * {@link io.worldmesh.api.ClusterState}, shared by every node; a game keeps none in its fields. Game code never
 * sees threads, sockets or the wall clock: time is the tick, randomness is
 * {@link io.worldmesh.api.GameContext#random()}, so a run can be replayed.
 */
package io.worldmesh.api;
