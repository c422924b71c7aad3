package io.worldmesh.api;

import java.util.List;

/** The whole world at the end of a tick, for invariant checks. */
public interface WorldView {

    long tick();

    List<? extends GamePlayer> players();

    List<? extends Entity> entities();
}
