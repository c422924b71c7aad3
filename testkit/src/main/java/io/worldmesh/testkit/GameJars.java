package io.worldmesh.testkit;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Games built as a game team's build would build them, for tests of how Worldmesh finds games: a provider and a
 * game of the given name, compiled against the running classpath, with the service file that registers it.
 */
public final class GameJars {

    private GameJars() {
    }

    /**
     * Compiles a game named {@code name} and its provider {@code games.className} into {@code dir}/classes, with the
     * service file; returns that directory.
     */
    public static Path compile(Path dir, String name, String className) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/games"));
        Files.writeString(src.resolve(className + ".java"), """
                package games;

                import io.worldmesh.api.Game;
                import io.worldmesh.api.GameProvider;
                import io.worldmesh.api.Property;
                import java.util.List;

                public final class %1$s implements GameProvider {
                    public String name() { return "%2$s"; }
                    public String summary() { return "a test game"; }
                    public Game create() {
                        return new Game() {
                            public String name() { return "%2$s"; }
                            public List<Property<?>> playerProperties() { return List.of(); }
                        };
                    }
                }
                """.formatted(className, name));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, null, errors, "-d", classes.toString(), "-proc:none", "-classpath",
                System.getProperty("java.class.path"), src.resolve(className + ".java").toString());
        if (code != 0) {
            throw new IllegalStateException("javac: " + errors.toString(StandardCharsets.UTF_8));
        }
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(services.resolve("io.worldmesh.api.GameProvider"), "games." + className + "\n");
        return classes;
    }

    public static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> all = Files.walk(classes)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
