package io.worldmesh.testkit;

/** The rules a run checks, as HANDOVER-RULES names its invariants. */
public enum Rule {
    /** No player is active (in a world, not frozen) on two nodes, or active where the directory does not name it. */
    SINGLE_OWNER("single owner"),
    /** Every player created and not left is in some world or staged on some node. */
    NO_LOSS("no loss"),
    /** A player's owner epoch only grows, and the audit log is a chain of +1 steps. */
    MONOTONIC_EPOCHS("monotonic epochs"),
    /** An input is applied at most once, in seq order; only inputs the client sent. */
    INPUTS_ONCE("inputs once"),
    /** After the heal phase: no handover in flight, every client playing, every input applied exactly once. */
    TERMINATION("termination"),
    /** One of the game's own invariants, over the copies that count. */
    GAME_INVARIANT("game invariant"),
    /** A node core threw (or the route switch, or the game): a bug on some path this run reached. */
    NODE_ERROR("node error");

    private final String label;

    Rule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
