package __PACKAGE__;

import io.worldmesh.api.Game;
import io.worldmesh.api.GameProvider;

/** How Worldmesh finds the game: named in META-INF/services/io.worldmesh.api.GameProvider. */
public final class __CLASS__Provider implements GameProvider {

    @Override
    public String name() {
        return "__NAME__";
    }

    @Override
    public String summary() {
        return "energy that refills, spent with 'spend'";
    }

    @Override
    public Game create() {
        return new __CLASS__Game();
    }
}
