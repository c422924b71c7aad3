package io.worldmesh.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.worldmesh.testkit.GameJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * {@code game new} as a game team meets it: the project it writes compiles against the api, its tests pass on the
 * game testkit, and its jar plays under the demo with bots sending its action, its invariant checked and holding.
 * (The Maven build of the project, through the launcher on a default {@code java} 17, is run by .ci/run after the
 * suite: tests/game-project.sh.)
 */
class GameNewTest {

    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    @Test
    void aNewGameCompilesPassesItsTestsAndPlaysUnderTheDemoWithItsInvariantHolding() throws Exception {
        Path project = dir.resolve("koth");
        CommandRun made = run("game", "new", "koth", "--dir", project.toString());
        assertThat(made.code()).as(made.err()).isZero();
        assertThat(project.resolve("mvnw")).isExecutable();
        assertThat(project.resolve(".mvn/wrapper/maven-wrapper.properties")).exists();
        String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>koth</artifactId>", "<finalName>koth</finalName>",
                "<worldmesh.version>0.1.0-SNAPSHOT</worldmesh.version>", "worldmesh-game-testkit");
        assertThat(Files.readString(project.resolve("README.md"))).contains(
                "mvn -f " + project.toAbsolutePath() + "/pom.xml -q package -DskipTests",
                "mvn -f " + project.toAbsolutePath() + "/pom.xml test",
                "demo --game koth --game-path " + project.toAbsolutePath() + "/target/koth.jar --bots 20");

        Path classes = Files.createDirectories(dir.resolve("classes"));
        compile(project.resolve("src"), classes);
        Path services = project.resolve("src/main/resources/META-INF/services/io.worldmesh.api.GameProvider");
        assertThat(Files.readString(services).strip()).isEqualTo("games.koth.KothProvider");
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.copy(services, classes.resolve("META-INF/services/io.worldmesh.api.GameProvider"));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            TestExecutionSummary tests = runTests(loader.loadClass("games.koth.KothGameTest"));
            assertThat(tests.getTestsFoundCount()).isEqualTo(3);
            assertThat(tests.getTotalFailureCount()).as("%s", tests.getFailures().stream()
                    .map(f -> f.getException().toString()).toList()).isZero();
        }

        Path jar = GameJars.jar(classes, dir.resolve("koth.jar"));
        CommandRun demo = run("demo", "--game", "koth", "--game-path", jar.toString(), "--bots", "8", "--nodes", "2",
                "--duration", "6s", "--action-rate", "2", "--json", "--port", "0");
        assertThat(demo.code()).as(demo.out() + demo.err()).isZero();
        List<String> lines = demo.out().lines().toList();
        JsonNode summary = new ObjectMapper().readTree(lines.getLast());
        assertThat(summary.path("actions_sent").asLong()).isGreaterThan(20);
        assertThat(summary.path("server_actions_applied").asLong()).isEqualTo(summary.path("actions_sent").asLong());
        assertThat(summary.path("invariants").path("energy_in_range").path("checks").asLong()).isGreaterThan(20);
        assertThat(summary.path("invariants").path("energy_in_range").path("violations").asLong()).isZero();
        assertThat(summary.path("game").path("energy_spent").asLong()).isPositive();
    }

    @Test
    void aBadNameOrADirectoryInUseIsRefusedAndNothingIsWritten() throws Exception {
        assertThat(run("game", "new", "King-Hill", "--dir", dir.resolve("a").toString()).code()).isEqualTo(2);
        assertThat(dir.resolve("a")).doesNotExist();

        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "mine");
        CommandRun r = run("game", "new", "koth", "--dir", used.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not an empty directory");
        try (Stream<Path> files = Files.list(used)) {
            assertThat(files.toList()).containsExactly(used.resolve("notes.txt"));
        }
    }

    @Test
    void namesWithUnderscoresMakeCamelCaseClasses() {
        assertThat(GameNewCommand.className("king_of_the_hill")).isEqualTo("KingOfTheHill");
        assertThat(GameNewCommand.className("koth")).isEqualTo("Koth");
    }

    private static void compile(Path src, Path classes) throws Exception {
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-proc:none", "-Xlint:none",
                "-classpath", System.getProperty("java.class.path")));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = ToolProvider.getSystemJavaCompiler().run(null, null, errors, args.toArray(String[]::new));
        assertThat(code).as("javac on the new project:\n%s", errors.toString(StandardCharsets.UTF_8)).isZero();
    }

    private static TestExecutionSummary runTests(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(testClass.getClassLoader());
        try {
            LauncherFactory.create().execute(request().selectors(selectClass(testClass)).build(), listener);
        } finally {
            thread.setContextClassLoader(previous);
        }
        return listener.getSummary();
    }
}
