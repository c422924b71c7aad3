package io.worldmesh.api;

import java.util.Optional;

/**
 * A property of the world a game promises always holds, such as "orbs in the world plus orbs held is constant".
 * Checkers evaluate it after every tick of a test run.
 */
public interface Invariant {

    /** Short stable name, used as a key in reports. */
    String name();

    /** Empty when the invariant holds, otherwise a description of the violation. */
    Optional<String> check(WorldView world);
}
