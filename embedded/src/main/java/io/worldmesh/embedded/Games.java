package io.worldmesh.embedded;

import io.worldmesh.api.Game;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.tag.TagGame;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The games this distribution ships, by the name used on the command line. */
public final class Games {

    public static final String DEFAULT = "orbs";

    private static final Map<String, Supplier<Game>> GAMES = Map.of("orbs", OrbGame::new, "tag", TagGame::new);

    private Games() {
    }

    public static List<String> names() {
        return GAMES.keySet().stream().sorted().toList();
    }

    /** A new instance of the named game. */
    public static Game create(String name) {
        Supplier<Game> g = GAMES.get(name);
        if (g == null) {
            throw new IllegalArgumentException("unknown game '" + name + "'; known: " + names());
        }
        return g.get();
    }
}
