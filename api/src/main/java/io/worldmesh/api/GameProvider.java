package io.worldmesh.api;

/**
 * How Worldmesh finds a game: a {@link java.util.ServiceLoader} service. A game's jar names its provider in
 * {@code META-INF/services/io.worldmesh.api.GameProvider}, and Worldmesh loads it from the classpath or from
 * {@code --game-path JAR_OR_DIR}; the shipped games register the same way. A provider has a public no-argument
 * constructor and is cheap to make: Worldmesh makes one to list the games it found.
 */
public interface GameProvider {

    /** The name used on the command line ({@code --game NAME}); the same as {@link Game#name()} of what it makes. */
    String name();

    /** One line on what the game is, for {@code --help}. */
    String summary();

    /** A new instance of the game with every setting at its default: each world gets its own. */
    Game create();

    /** The settings the game takes from {@code --game-opt NAME=VALUE}; none by default. */
    default java.util.List<GameSetting<?>> settings() {
        return java.util.List.of();
    }

    /**
     * A new instance of the game with these settings, already checked against {@link #settings()}; by default
     * {@link #create()}. A game with settings overrides this one.
     */
    default Game create(GameSettings settings) {
        return create();
    }
}
