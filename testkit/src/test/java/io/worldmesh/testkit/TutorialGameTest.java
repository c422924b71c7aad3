package io.worldmesh.testkit;

import io.worldmesh.api.Game;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * docs/game-api.md says of its game, beacons: "The code below compiles and its tests pass as shown." This holds it
 * to that: the page's Java files are compiled as they stand, the page's tests run, and the game plays a few dozen
 * seeds of the simulator with every handover rule and its own invariant checked.
 */
class TutorialGameTest {

    /** A file the page shows: its path on a line of its own, then the code block. */
    private static final Pattern FILE = Pattern.compile(
            "`(games/beacons/src/(main|test)/java/(\\S+)\\.java)`:?\\s*\\n\\s*\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

    /** The service file the page shows, which registers the game. */
    private static final Pattern SERVICE = Pattern.compile(
            "`games/beacons/src/main/resources/(META-INF/services/io\\.worldmesh\\.api\\.GameProvider)`:?"
                    + "\\s*\\n\\s*\\n```\\n(.*?)\\n```",
            Pattern.DOTALL);

    private record Source(String path, boolean test, String className, String code) {
    }

    @Test
    void theGameOfTheGameApiPageCompilesItsTestsPassAndItHoldsUnderTheSimulator(@TempDir Path dir)
            throws Exception {
        String page = Files.readString(Path.of("..", "docs", "game-api.md"));
        List<Source> sources = sources(page);
        assertThat(sources).extracting(Source::className).contains(
                "io.worldmesh.games.beacons.BeaconGame", "io.worldmesh.games.beacons.BeaconGameTest");

        Path classes = dir.resolve("classes");
        compile(sources, dir.resolve("src"), classes);
        Matcher service = SERVICE.matcher(page);
        assertThat(service.find()).as("the page registers the game").isTrue();
        Files.createDirectories(classes.resolve(service.group(1)).getParent());
        Files.writeString(classes.resolve(service.group(1)), service.group(2) + "\n");
        // Found as --game-path finds it: a directory of classes holding the service file.
        io.worldmesh.engine.GameCatalog catalog = io.worldmesh.engine.GameCatalog.load(List.of(classes));
        assertThat(catalog.create("beacons").invariants())
                .extracting(i -> i.name()).contains("beacons_conserved");
        // The page's settings: taken from --game-opt, and refused out of range.
        assertThat(catalog.withOptions("beacons", Map.of("beacons_per_cell", "5")).choice("beacons"))
                .isEqualTo("beacons beacons_per_cell=5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.withOptions("beacons",
                Map.of("reach", "99"))).hasMessageContaining("reach must be 0.5..20.0");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            TestExecutionSummary tests = runTests(loader, sources);
            assertThat(tests.getTestsFoundCount()).as("tests on the page").isPositive();
            assertThat(tests.getTotalFailureCount()).as(failures(tests)).isZero();

            Class<? extends Game> game = loader.loadClass("io.worldmesh.games.beacons.BeaconGame")
                    .asSubclass(Game.class);
            Supplier<Game> games = () -> {
                try {
                    return game.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(games.get().invariants()).extracting(i -> i.name()).contains("beacons_conserved");
            SeedSweep.Report report = SeedSweep.run(SimulationConfig.defaults(), games, 0, 40, 1, p -> { });
            assertThat(report.failures()).as("%s", report.failures().stream().findFirst()
                    .map(Throwable::getMessage).orElse("")).isEmpty();
            assertThat(report.total(SimulationResult::handoversCommitted)).isPositive();
        }
    }

    private static List<Source> sources(String page) {
        Map<String, Source> byPath = new LinkedHashMap<>();
        Matcher m = FILE.matcher(page);
        while (m.find()) {
            byPath.put(m.group(1), new Source(m.group(1), m.group(2).equals("test"),
                    m.group(3).replace('/', '.'), m.group(4) + "\n"));
        }
        return List.copyOf(byPath.values());
    }

    private static void compile(List<Source> sources, Path src, Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-proc:none", "-Xlint:none",
                "-classpath", System.getProperty("java.class.path")));
        for (Source s : sources) {
            Path file = src.resolve(s.path());
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.code());
            args.add(file.toString());
        }
        Files.createDirectories(classes);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, null, errors, args.toArray(String[]::new));
        assertThat(code).as("javac on the page's files:\n%s", errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    private static TestExecutionSummary runTests(ClassLoader loader, List<Source> sources) throws Exception {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        var builder = request();
        for (Source s : sources) {
            if (s.test()) {
                builder.selectors(selectClass(loader.loadClass(s.className())));
            }
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            launcher.execute(builder.build(), listener);
        } finally {
            thread.setContextClassLoader(previous);
        }
        return listener.getSummary();
    }

    private static String failures(TestExecutionSummary summary) {
        var out = new java.io.StringWriter();
        summary.printFailuresTo(new PrintWriter(out), 20);
        return out.toString();
    }
}
