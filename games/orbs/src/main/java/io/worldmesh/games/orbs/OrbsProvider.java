package io.worldmesh.games.orbs;

import io.worldmesh.api.Game;
import io.worldmesh.api.GameProvider;
import io.worldmesh.api.GameSetting;
import io.worldmesh.api.GameSettings;

import java.util.List;

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

    static final GameSetting<Long> ORBS_PER_CELL = GameSetting.integer("orbs_per_cell",
            OrbSettings.DEFAULTS.orbsPerCell(), 0, 1_000, "orbs in each cell at the start");
    static final GameSetting<Double> PICKUP_RADIUS = GameSetting.number("pickup_radius",
            OrbSettings.DEFAULTS.pickupRadius(), 0.1, 50, "metres from a player within which it picks an orb up");
    static final GameSetting<Long> HOLD_TICKS = GameSetting.integer("hold_ticks", OrbSettings.DEFAULTS.holdTicks(),
            1, 1_000_000, "ticks an orb stays held before it falls back into the world");

    @Override
    public List<GameSetting<?>> settings() {
        return List.of(ORBS_PER_CELL, PICKUP_RADIUS, HOLD_TICKS);
    }

    @Override
    public Game create() {
        return new OrbGame();
    }

    @Override
    public Game create(GameSettings s) {
        return new OrbGame(new OrbSettings(Math.toIntExact(s.get(ORBS_PER_CELL)), s.get(PICKUP_RADIUS),
                Math.toIntExact(s.get(HOLD_TICKS))));
    }
}
