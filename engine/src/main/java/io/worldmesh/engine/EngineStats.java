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
    final AtomicLong gameEvents = new AtomicLong();
    final AtomicLong localHandovers = new AtomicLong();
    final AtomicLong joins = new AtomicLong();
    final AtomicLong leaves = new AtomicLong();

    public long ticks() { return ticks.get(); }
    public long appliedInputs() { return appliedInputs.get(); }
    public long staleInputs() { return staleInputs.get(); }
    public long teleportAttempts() { return teleportAttempts.get(); }
    public long unknownPlayerInputs() { return unknownPlayerInputs.get(); }
    public long badActions() { return badActions.get(); }
    public long gameEvents() { return gameEvents.get(); }
    public long localHandovers() { return localHandovers.get(); }
    public long joins() { return joins.get(); }
    public long leaves() { return leaves.get(); }
}
