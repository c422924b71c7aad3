package io.worldmesh.engine;

import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;

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

    static ClientMessage.Input input(long seq, double mx, double mz) {
        return new ClientMessage.Input(seq, new Vec2(mx, mz), 0, null);
    }

    static void steps(World world, int n) {
        for (int i = 0; i < n; i++) {
            world.step();
        }
    }
}
