package io.worldmesh.app;

import io.worldmesh.testkit.GameJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --game-path} as a game team meets it: a game of their own, in its own jar, is listed by {@code --help}
 * and runs under the simulator, with nothing of Worldmesh's changed; a path given wrongly stops the command with
 * exit code 2 and a message, not a stack trace.
 */
class GamePathTest {

    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    private Path hill() throws Exception {
        return GameJars.jar(GameJars.compile(dir.resolve("hill"), "hill", "KingOfTheHill"), dir.resolve("hill.jar"));
    }

    @Test
    void helpListsTheGamesOnTheGamePathBesideTheShippedOnes() throws Exception {
        CommandRun plain = run("demo", "--help");
        assertThat(plain.out()).contains("orbs, tag").doesNotContain("hill");

        CommandRun with = run("demo", "--game-path", hill().toString(), "--help");
        assertThat(with.code()).isZero();
        assertThat(with.out()).contains("hill, orbs, tag").contains("--game-path=JAR_OR_DIR");
    }

    @Test
    void aGameFromItsOwnJarRunsUnderTheSimulator() throws Exception {
        CommandRun sim = run("simulate", "--seeds", "4", "--game", "hill", "--game-path", hill().toString(),
                "--threads", "1");
        assertThat(sim.code()).as(sim.err()).isZero();
        assertThat(sim.out()).containsPattern("seeds that held every rule +4");
    }

    @Test
    void aGamePathGivenWronglyStopsTheCommandAndSaysWhy() {
        CommandRun missing = run("demo", "--game-path", dir.resolve("nope.jar").toString(), "--duration", "1s");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("worldmesh demo: game path").contains("nope.jar: no such file")
                .doesNotContain("at io.worldmesh");

        CommandRun unknown = run("simulate", "--seeds", "1", "--game", "chess");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("worldmesh simulate: unknown game 'chess'").contains("--game-path");
    }

    @Test
    void gameSettingsAreListedByHelpCheckedAllAtOnceAndTakenByTheGame() {
        CommandRun help = run("demo", "--help");
        assertThat(help.out()).contains("--game-opt=NAME=VALUE", "Games (--game NAME) and their settings",
                "orbs_per_cell=4 (integer, 0..1000): orbs in each cell at the start", "tag_radius=2.5 (number");

        CommandRun bad = run("demo", "--game-opt", "orbs_per_cell=lots", "--game-opt", "colour=red", "--game-opt",
                "hold_ticks=0", "--duration", "1s");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("game 'orbs' refuses its settings", "orbs_per_cell must be a whole number",
                "no setting 'colour'", "hold_ticks must be 1..1000000").doesNotContain("at io.worldmesh");

        // One orb a cell, held for good: the simulator's orb invariant counts from the settings given.
        CommandRun sim = run("simulate", "--seeds", "3", "--threads", "1", "--game-opt", "orbs_per_cell=1",
                "--game-opt", "hold_ticks=1000000");
        assertThat(sim.code()).as(sim.out() + sim.err()).isZero();
        assertThat(sim.out()).containsPattern("seeds that held every rule +3");
    }
}
