package io.worldmesh.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code game new NAME --dir DIR}: a standalone Maven project for a new game, from the template in this jar: a game
 * with an action, a HUD, figures and an invariant, its provider and service file, tests on the game testkit, the
 * Maven wrapper and a README with the commands that build, test and play it.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Writes a new game project: a Maven project of its own that depends on Worldmesh's api and",
                "game testkit, with a starting game, its tests and a README with the commands to build, test and",
                "play it. DIR must not exist or be empty."})
final class GameNewCommand implements Callable<Integer> {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern PACKAGE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    private static final String TEMPLATE = "/game-template/";
    /** The template's files, as the jar holds them; __PACKAGE_PATH__ and __CLASS__ in paths are replaced. */
    private static final List<String> FILES = List.of(
            "pom.xml",
            "README.md",
            "mvnw",
            "mvnw.cmd",
            ".mvn/wrapper/maven-wrapper.properties",
            "src/main/java/__PACKAGE_PATH__/__CLASS__Game.java",
            "src/main/java/__PACKAGE_PATH__/__CLASS__Provider.java",
            "src/main/resources/META-INF/services/io.worldmesh.api.GameProvider",
            "src/test/java/__PACKAGE_PATH__/__CLASS__GameTest.java");

    @Parameters(index = "0", paramLabel = "NAME", description = "The game's name, as --game takes it: lower case "
            + "letters, digits and '_', starting with a letter.")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write the project.")
    Path dir;

    @Option(names = "--package", paramLabel = "PACKAGE", description = "The Java package of its classes "
            + "(default: games.NAME).")
    String javaPackage;

    @Override
    public Integer call() throws IOException {
        String pkg = javaPackage == null ? "games." + name : javaPackage;
        if (!NAME.matcher(name).matches()) {
            return refuse("a game's name is lower case letters, digits and '_', starting with a letter, at most 32: "
                    + name);
        }
        if (!PACKAGE.matcher(pkg).matches()) {
            return refuse("not a package name of lower case parts: " + pkg);
        }
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && (!Files.isDirectory(target) || !isEmpty(target))) {
            return refuse(target + " exists and is not an empty directory");
        }
        Map<String, String> values = Map.of(
                "__NAME__", name,
                "__CLASS__", className(name),
                "__PACKAGE_PATH__", pkg.replace('.', '/'),
                "__PACKAGE__", pkg,
                "__VERSION__", version(),
                "__DIR__", target.toString(),
                "__WORLDMESH__", launcher());
        for (String file : FILES) {
            Path out = target.resolve(fill(file, values));
            Files.createDirectories(out.getParent());
            Files.writeString(out, fill(read(file), values));
            if (file.equals("mvnw")) {
                Files.setPosixFilePermissions(out, Set.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
            }
        }
        Files.writeString(target.resolve(".gitignore"), "target/\n.mvn/wrapper/maven-wrapper.jar\n");
        System.out.println("Wrote the game '" + name + "' to " + target + ": see its README.md. Next:");
        System.out.println("  " + launcher() + " mvn -f " + target.resolve("pom.xml") + " -q package -DskipTests");
        System.out.println("  " + launcher() + " demo --game " + name + " --game-path "
                + target.resolve("target").resolve(name + ".jar"));
        return 0;
    }

    /** {@code king_hill} becomes {@code KingHill}. */
    static String className(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }

    private static String fill(String text, Map<String, String> values) {
        String out = text;
        // __PACKAGE_PATH__ before __PACKAGE__, which it contains.
        for (String key : List.of("__PACKAGE_PATH__", "__PACKAGE__", "__CLASS__", "__NAME__", "__VERSION__",
                "__DIR__", "__WORLDMESH__")) {
            out = out.replace(key, values.get(key));
        }
        return out;
    }

    private static String read(String file) {
        try (InputStream in = GameNewCommand.class.getResourceAsStream(TEMPLATE + file)) {
            if (in == null) {
                throw new IllegalStateException("the template's " + file + " is not in this build of Worldmesh");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Worldmesh version this build is, which the project depends on. */
    private static String version() throws IOException {
        Properties p = new Properties();
        try (InputStream in = GameNewCommand.class.getResourceAsStream("worldmesh.properties")) {
            p.load(in);
        }
        return p.getProperty("version");
    }

    /** How to run this Worldmesh's launcher from anywhere: the launcher says where it is. */
    private static String launcher() {
        String l = System.getenv("WORLDMESH_LAUNCHER");
        return l == null || l.isBlank() ? "./worldmesh" : l;
    }

    private static boolean isEmpty(Path d) throws IOException {
        try (var entries = Files.list(d)) {
            return entries.findAny().isEmpty();
        }
    }

    private static int refuse(String why) {
        System.err.println("worldmesh game new: " + why);
        return 2;
    }
}
