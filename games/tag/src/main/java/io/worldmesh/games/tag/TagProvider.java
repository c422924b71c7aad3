package io.worldmesh.games.tag;

import io.worldmesh.api.Game;
import io.worldmesh.api.GameProvider;
import io.worldmesh.api.GameSetting;
import io.worldmesh.api.GameSettings;

import java.util.List;

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

    static final GameSetting<Double> TAG_RADIUS = GameSetting.number("tag_radius", TagSettings.DEFAULTS.tagRadiusM(),
            0.1, 50, "metres between centres within which \"it\" tags another player");
    static final GameSetting<Long> SAFE_TICKS = GameSetting.integer("safe_ticks", TagSettings.DEFAULTS.safeTicks(),
            0, 100_000, "ticks after a tag in which neither player can tag or be tagged");

    @Override
    public List<GameSetting<?>> settings() {
        return List.of(TAG_RADIUS, SAFE_TICKS);
    }

    @Override
    public Game create() {
        return new TagGame();
    }

    @Override
    public Game create(GameSettings s) {
        return new TagGame(new TagSettings(s.get(TAG_RADIUS), Math.toIntExact(s.get(SAFE_TICKS))));
    }
}
