package io.worldmesh.gametest;

/** A game's invariant broke (or settled for longer than its grace) at a step of a {@link GameTest}. */
public final class InvariantFailure extends AssertionError {

    private final long tick;

    InvariantFailure(long tick, String message) {
        super(message);
        this.tick = tick;
    }

    /** The tick of the check that failed. */
    public long tick() {
        return tick;
    }
}
