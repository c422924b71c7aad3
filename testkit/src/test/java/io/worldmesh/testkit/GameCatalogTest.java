package io.worldmesh.testkit;

import io.worldmesh.api.Game;
import io.worldmesh.engine.GameCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Games are found as {@code GameProvider} services: the shipped ones on the classpath, a team's own from a jar, a
 * directory of jars or a directory of classes given as the game path. The games here are compiled by the test
 * itself, as a game team's build would, and are not on the test's classpath.
 */
class GameCatalogTest {

    @Test
    void theShippedGameOnTheClasspathIsFoundAsAService() {
        GameCatalog catalog = GameCatalog.onClasspath();
        assertThat(catalog.names()).contains("orbs");
        assertThat(catalog.create("orbs").name()).isEqualTo("orbs");
        assertThat(catalog.create("orbs")).as("a new instance each time").isNotSameAs(catalog.create("orbs"));
        assertThat(catalog.summary("orbs")).isNotBlank();
    }

    @Test
    void aGameInAJarOnTheGamePathIsFoundBesideTheShippedOnes(@TempDir Path dir) throws Exception {
        Path jar = GameJars.jar(GameJars.compile(dir, "hill", "KingOfTheHill"), dir.resolve("hill.jar"));

        GameCatalog catalog = GameCatalog.load(List.of(jar));
        assertThat(catalog.names()).contains("hill", "orbs");
        Game hill = catalog.create("hill");
        assertThat(hill.name()).isEqualTo("hill");
        assertThat(hill.getClass().getClassLoader()).as("loaded from the jar, not the classpath")
                .isNotSameAs(GameCatalog.class.getClassLoader());
        assertThat(GameCatalog.onClasspath().names()).doesNotContain("hill");
    }

    @Test
    void aDirectoryOfClassesAndADirectoryOfJarsAreGamePathsToo(@TempDir Path dir) throws Exception {
        Path classes = GameJars.compile(dir.resolve("a"), "hill", "KingOfTheHill");
        assertThat(GameCatalog.load(List.of(classes)).names()).contains("hill");

        Path jars = Files.createDirectories(dir.resolve("jars"));
        GameJars.jar(GameJars.compile(dir.resolve("b"), "race", "Race"), jars.resolve("race.jar"));
        GameJars.jar(GameJars.compile(dir.resolve("c"), "hunt", "Hunt"), jars.resolve("hunt.jar"));
        assertThat(GameCatalog.load(List.of(jars)).names()).contains("race", "hunt", "orbs");
    }

    @Test
    void everyProblemIsSaidBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> GameCatalog.load(List.of(dir.resolve("missing.jar"))))
                .isInstanceOf(GameCatalog.Problem.class).hasMessageContaining("missing.jar: no such file");
        assertThatThrownBy(() -> GameCatalog.load(List.of(Files.createDirectories(dir.resolve("empty")))))
                .isInstanceOf(GameCatalog.Problem.class).hasMessageContaining("holds no jar");
        assertThatThrownBy(() -> GameCatalog.onClasspath().create("chess"))
                .isInstanceOf(GameCatalog.Problem.class).hasMessageContaining("unknown game 'chess'")
                .hasMessageContaining("orbs").hasMessageContaining("--game-path");

        Path one = GameJars.jar(GameJars.compile(dir.resolve("x"), "hill", "KingOfTheHill"),
                dir.resolve("one.jar"));
        Path two = GameJars.jar(GameJars.compile(dir.resolve("y"), "hill", "OtherHill"), dir.resolve("two.jar"));
        assertThatThrownBy(() -> GameCatalog.load(List.of(one, two)))
                .isInstanceOf(GameCatalog.Problem.class).hasMessageContaining("two games are named 'hill'")
                .hasMessageContaining("KingOfTheHill").hasMessageContaining("OtherHill");

        Path broken = GameJars.compile(dir.resolve("z"), "hill", "KingOfTheHill");
        Files.writeString(broken.resolve("META-INF/services/io.worldmesh.api.GameProvider"), "games.NoSuchProvider\n");
        assertThatThrownBy(() -> GameCatalog.load(List.of(broken)))
                .isInstanceOf(GameCatalog.Problem.class).hasMessageContaining("could not be loaded")
                .hasMessageContaining("games.NoSuchProvider");
    }
}
