package io.worldmesh.games.tag;

import io.worldmesh.api.Game;
import io.worldmesh.api.GameProvider;

/** Registers tag with Worldmesh (META-INF/services/io.worldmesh.api.GameProvider). */
public final class TagProvider implements GameProvider {

    @Override
    public String name() {
        return "tag";
    }

    @Override
    public String summary() {
        return "one player is \"it\" and passes it on by touch, across the whole cluster";
    }

    @Override
    public Game create() {
        return new TagGame();
    }
}
