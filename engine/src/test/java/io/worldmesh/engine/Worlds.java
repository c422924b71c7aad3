package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Game;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;

import java.util.HashSet;
import java.util.Set;

/** Small helpers for building worlds and inputs in tests. */
final class Worlds {

    private Worlds() {
    }

    /** The default 8 x 8 world of 64 m cells with the orb game. */
    static World orbs() {
        return new World(WorldSettings.DEFAULTS, new OrbGame());
    }

    static World orbs(WorldSettings settings) {
        return new World(settings, new OrbGame());
    }

    /** The cells with {@code cx} below half the grid's width. */
    static Set<CellRef> westHalf(WorldSettings settings) {
        return half(settings, true);
    }

    static Set<CellRef> eastHalf(WorldSettings settings) {
        return half(settings, false);
    }

    private static Set<CellRef> half(WorldSettings settings, boolean west) {
        Set<CellRef> cells = new HashSet<>();
        for (CellRef c : WorldPlacement.wholeGrid(settings).ownedCells()) {
            if ((c.cx() < settings.cellsX() / 2) == west) {
                cells.add(c);
            }
        }
        return cells;
    }

    /** A world driven like a node's: owning {@code cells}, from tick 0, at {@code incarnation}. */
    static World node(WorldSettings settings, Game game, Set<CellRef> cells, long incarnation) {
        return new World(settings, game, new WorldPlacement(cells, 0, incarnation));
    }

    static ClientMessage.Input input(long seq, double mx, double mz) {
        return new ClientMessage.Input(seq, new Vec2(mx, mz), 0, null);
    }

    static void steps(World world, int n) {
        for (int i = 0; i < n; i++) {
            world.step();
        }
    }
}
