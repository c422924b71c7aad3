package io.worldmesh.engine;

import io.worldmesh.api.Game;
import io.worldmesh.api.GameProvider;
import io.worldmesh.api.GameSetting;
import io.worldmesh.api.GameSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The games Worldmesh can run, found with {@link ServiceLoader} as {@link GameProvider}s: on the classpath (the
 * shipped games register this way too) and on a game path, each entry a game's jar, a directory of jars, or a
 * directory of classes holding {@code META-INF/services/io.worldmesh.api.GameProvider}. Every problem (a path that
 * does not exist, a provider that cannot be loaded, two games of one name) fails the load with a {@link Problem}
 * naming it,
 * before anything starts. The class loader of a game path stays open while the process runs: its games live in it.
 */
public final class GameCatalog {

    /** What is wrong with a game path or a game's name: a message for the person who gave it. */
    public static final class Problem extends IllegalArgumentException {
        Problem(String message) {
            super(message);
        }

        Problem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The game a command runs when none is named. */
    public static final String DEFAULT = "orbs";

    private static final String SERVICE_FILE = "META-INF/services/" + GameProvider.class.getName();

    /** One game found: its provider, and where its class came from (for messages). */
    private record Found(GameProvider provider, String origin) {
    }

    private final Map<String, Found> byName;
    /** Settings given per game name ({@code --game-opt}), already checked. */
    private final Map<String, GameSettings> options;

    private GameCatalog(Map<String, Found> byName, Map<String, GameSettings> options) {
        this.byName = Collections.unmodifiableMap(byName);
        this.options = Map.copyOf(options);
    }

    /**
     * This catalog, making {@code game} with the settings {@code raw} gives (name to value as typed), checked now
     * against what the game declares.
     *
     * @throws Problem naming every unknown setting and every bad value at once
     */
    public GameCatalog withOptions(String game, Map<String, String> raw) {
        if (raw.isEmpty()) {
            return this;
        }
        try {
            Map<String, GameSettings> o = new java.util.HashMap<>(options);
            o.put(game, GameSettings.parse(found(game).provider().settings(), raw));
            return new GameCatalog(byName, o);
        } catch (Problem e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new Problem("game '" + game + "' refuses its settings:\n  " + e.getMessage().replace("\n", "\n  "));
        }
    }

    /** The settings the named game takes, for --help. */
    public List<GameSetting<?>> settingsOf(String name) {
        return found(name).provider().settings();
    }

    /**
     * How the named game is run here, settings given included, in one canonical line: {@code koth} or
     * {@code koth max_energy=12 ramp=true}. Every node of a cluster must run the same.
     */
    public String choice(String name) {
        StringBuilder out = new StringBuilder(name);
        GameSettings given = options.get(name);
        if (given != null) {
            given.given().forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
        }
        return out.toString();
    }

    /** The games on the classpath. */
    public static GameCatalog onClasspath() {
        return load(List.of());
    }

    /** The games on the classpath and on {@code gamePath}; throws {@link Problem} on any problem. */
    public static GameCatalog load(List<Path> gamePath) {
        ClassLoader parent = GameCatalog.class.getClassLoader();
        ClassLoader loader = gamePath.isEmpty() ? parent
                : new URLClassLoader("game-path", urls(gamePath), parent);
        Map<String, Found> found = new TreeMap<>();
        try {
            for (ServiceLoader.Provider<GameProvider> p : ServiceLoader.load(GameProvider.class, loader).stream()
                    .toList()) {
                GameProvider provider = p.get();
                String origin = origin(p.type());
                Found other = found.put(provider.name(), new Found(provider, origin));
                if (other != null) {
                    throw new Problem("two games are named '" + provider.name() + "': "
                            + other.provider().getClass().getName() + " (" + other.origin() + ") and "
                            + p.type().getName() + " (" + origin + ")");
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new Problem("a game could not be loaded: " + e.getMessage(), e);
        }
        return new GameCatalog(found, Map.of());
    }

    private static URL[] urls(List<Path> gamePath) {
        List<URL> urls = new ArrayList<>();
        for (Path entry : gamePath) {
            if (Files.isRegularFile(entry)) {
                urls.add(url(entry));
            } else if (Files.isDirectory(entry) && Files.isRegularFile(entry.resolve(SERVICE_FILE))) {
                urls.add(url(entry)); // a directory of classes, e.g. a game project's target/classes
            } else if (Files.isDirectory(entry)) {
                List<Path> jars = jarsIn(entry);
                if (jars.isEmpty()) {
                    throw new Problem("game path " + entry + " holds no jar and no " + SERVICE_FILE);
                }
                jars.forEach(jar -> urls.add(url(jar)));
            } else {
                throw new Problem("game path " + entry + ": no such file or directory");
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list game path " + dir, e);
        }
    }

    private static URL url(Path p) {
        try {
            return p.toAbsolutePath().normalize().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new Problem("game path " + p + ": " + e.getMessage(), e);
        }
    }

    private static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "unknown" : source.getLocation().getPath();
    }

    /** The names of the games found, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The named game's one-line summary. */
    public String summary(String name) {
        return found(name).provider().summary();
    }

    /** A new instance of the named game, with the settings given for it ({@link #withOptions}) if any. */
    public Game create(String name) {
        Found f = found(name);
        GameSettings given = options.get(name);
        Game game = given == null ? f.provider().create() : f.provider().create(given);
        if (!name.equals(game.name())) {
            throw new IllegalStateException("the provider of '" + name + "' (" + f.origin() + ") made a game named '"
                    + game.name() + "'");
        }
        return game;
    }

    private Found found(String name) {
        Found f = byName.get(name);
        if (f == null) {
            throw new Problem("unknown game '" + name + "'; known: " + names()
                    + " (a game of your own: --game-path JAR_OR_DIR)");
        }
        return f;
    }
}
