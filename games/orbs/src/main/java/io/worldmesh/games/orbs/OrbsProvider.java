package io.worldmesh.games.orbs;

import io.worldmesh.api.Game;
import io.worldmesh.api.GameProvider;

/** Registers orbs with Worldmesh (META-INF/services/io.worldmesh.api.GameProvider). */
public final class OrbsProvider implements GameProvider {

    @Override
    public String name() {
        return "orbs";
    }

    @Override
    public String summary() {
        return "pick up orbs, carry them across cells and nodes; none is ever made or lost";
    }

    @Override
    public Game create() {
        return new OrbGame();
    }
}
