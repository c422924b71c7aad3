package io.worldmesh.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of what the engine did. Written by the simulation thread, readable from any thread (metrics).
 */
public final class EngineStats {

    final AtomicLong ticks = new AtomicLong();
    final AtomicLong appliedInputs = new AtomicLong();
    final AtomicLong staleInputs = new AtomicLong();
    final AtomicLong teleportAttempts = new AtomicLong();
    final AtomicLong unknownPlayerInputs = new AtomicLong();
    final AtomicLong badActions = new AtomicLong();
    final AtomicLong appliedActions = new AtomicLong();
    final AtomicLong gameEvents = new AtomicLong();
    final AtomicLong localHandovers = new AtomicLong();
    final AtomicLong joins = new AtomicLong();
    final AtomicLong leaves = new AtomicLong();
    final AtomicLong handoversOut = new AtomicLong();
    final AtomicLong handoversAborted = new AtomicLong();
    final AtomicLong departures = new AtomicLong();
    final AtomicLong arrivals = new AtomicLong();
    final AtomicLong frozenInputs = new AtomicLong();
    final AtomicLong staleClusterReplies = new AtomicLong();

    public long ticks() { return ticks.get(); }
    public long appliedInputs() { return appliedInputs.get(); }
    public long staleInputs() { return staleInputs.get(); }
    public long teleportAttempts() { return teleportAttempts.get(); }
    public long unknownPlayerInputs() { return unknownPlayerInputs.get(); }
    public long badActions() { return badActions.get(); }
    /** Game actions handed to the game (riding on applied inputs). */
    public long appliedActions() { return appliedActions.get(); }
    public long gameEvents() { return gameEvents.get(); }
    public long localHandovers() { return localHandovers.get(); }
    public long joins() { return joins.get(); }
    public long leaves() { return leaves.get(); }
    /** Players frozen because they crossed into a cell of another node. */
    public long handoversOut() { return handoversOut.get(); }
    /** Frozen players simulated again after an abort. */
    public long handoversAborted() { return handoversAborted.get(); }
    public long departures() { return departures.get(); }
    public long arrivals() { return arrivals.get(); }
    public long frozenInputs() { return frozenInputs.get(); }
    /** Cluster state replies dropped because a newer version of their key had been passed on. */
    public long staleClusterReplies() { return staleClusterReplies.get(); }
}
