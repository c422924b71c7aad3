package io.worldmesh.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of a game's {@link GameSetting settings} for one run: those given on the command line
 * ({@code --game-opt NAME=VALUE}), the defaults for the rest.
 */
public final class GameSettings {

    /** No setting given: every one at its default. */
    public static final GameSettings DEFAULTS = new GameSettings(Map.of());

    private final Map<String, Object> given;

    private GameSettings(Map<String, Object> given) {
        this.given = Map.copyOf(given);
    }

    /**
     * The values {@code raw} gives the {@code declared} settings, every problem found at once (an unknown name, a
     * value of the wrong type or out of range), so that an operator fixes them in one go.
     *
     * @throws IllegalArgumentException naming every problem, one per line
     */
    public static GameSettings parse(List<GameSetting<?>> declared, Map<String, String> raw) {
        Map<String, GameSetting<?>> byName = new LinkedHashMap<>();
        declared.forEach(s -> byName.put(s.name(), s));
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        new TreeMap<>(raw).forEach((name, value) -> {
            GameSetting<?> s = byName.get(name);
            if (s == null) {
                problems.add("no setting '" + name + "'" + (byName.isEmpty() ? " (the game takes none)"
                        : "; it takes " + String.join(", ", byName.keySet())));
                return;
            }
            try {
                values.put(name, s.parse(value));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new GameSettings(values);
    }

    /** The setting's value: the one given, or its default. */
    @SuppressWarnings("unchecked")
    public <T> T get(GameSetting<T> setting) {
        Object v = given.get(setting.name());
        return v == null ? setting.defaultValue() : (T) v;
    }

    /** The settings given, by name, in name order. */
    public Map<String, Object> given() {
        return new TreeMap<>(given);
    }
}
