package io.worldmesh.api;

/** What an {@link Invariant} concludes from every node's measures at one check. */
public sealed interface Verdict {

    Verdict HOLDS = new Holds();

    /** The invariant holds. */
    record Holds() implements Verdict {
    }

    /** The invariant is broken, now; {@code reason} says how. */
    record Violated(String reason) implements Verdict {
    }

    /**
     * Not yet true, but allowed to become true: a violation only when it lasts longer than the invariant's
     * {@link Invariant#graceTicks()} consecutive checks.
     */
    record Settling(String reason) implements Verdict {
    }
}
