package io.worldmesh.gametest.shipped;

import io.worldmesh.games.tag.TagGame;
import io.worldmesh.games.tag.TagSettings;
import io.worldmesh.gametest.GameTest;
import io.worldmesh.gametest.PlayReport;
import io.worldmesh.gametest.SeenEvent;
import io.worldmesh.gametest.TestPlayer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tag on the game testkit, as a game team tests its own: "it" comes from the cluster-wide store a tick later,
 * passes on by touch, and stays single across nodes; its invariant is checked after every step. The games/tag
 * module keeps the tests that need the engine's own seams (crashes, fenced writes, lost answers).
 */
class TagGameTest {

    private static final TagSettings QUICK = new TagSettings(2.0, 10);

    private static long its(GameTest t) {
        return t.players().stream().filter(p -> p.get(TagGame.IT)).count();
    }

    @Test
    void afterJoinsExactlyOnePlayerIsItAndTheStoreNamesIt() {
        GameTest t = GameTest.of(() -> new TagGame(QUICK)).grid(8, 8).cellSize(64).build();
        List<TestPlayer> players = List.of(t.join("a", 100, 100), t.join("b", 300, 300), t.join("c", 400, 100));
        assertThat(its(t)).as("nobody before the store has answered").isZero();
        t.step(2); // the reads come back empty: each asks to make one of its players "it"; one swap wins
        assertThat(its(t)).isEqualTo(1);
        TestPlayer it = players.stream().filter(p -> p.get(TagGame.IT)).findFirst().orElseThrow();
        assertThat(t.clusterState(TagGame.IT_KEY).value()).isEqualTo(it.id());
        assertThat(t.hud(it)).isNotEmpty();
        assertThat(t.color(it)).isNotNull();
        t.step(100);
        assertThat(its(t)).isEqualTo(1);
        assertThat(t.stats()).containsEntry("players_it", 1L);
    }

    @Test
    void touchingPassesItOn() {
        GameTest t = GameTest.of(() -> new TagGame(QUICK)).grid(8, 8).cellSize(64).build();
        TestPlayer a = t.join("a", 100, 100);
        t.step(2);
        assertThat(a.get(TagGame.IT)).isTrue();
        TestPlayer b = t.join("b", 103, 100);
        t.step(10); // "it" cannot tag while safe
        t.move(a, 1, 0);
        t.step(4); // within reach: tagged, and "it" once the store says so
        assertThat(b.get(TagGame.IT)).isTrue();
        assertThat(a.get(TagGame.IT)).isFalse();
        assertThat(b.get(TagGame.TAGGED_BY)).isEqualTo(a.id());
        assertThat(t.events(b)).filteredOn(e -> e.name().equals("tagged")).extracting(e -> e.text("by"))
                .contains(a.id());
        assertThat(t.clusterState(TagGame.IT_KEY).value()).isEqualTo(b.id());
    }

    @Test
    void randomPlayOnTwoNodesKeepsAtMostOneItAlwaysAndExactlyOneWithinTheGrace() {
        GameTest t = GameTest.of(() -> new TagGame(QUICK)).grid(4, 2).cellSize(16).nodes(2).seed(4).build();
        PlayReport r = t.playRandomly(21, 16, 2_000);
        assertThat(r.handovers()).as("players crossed between the nodes").isGreaterThan(20);
        assertThat(r.leaves()).as("'it' may have left too").isPositive();
        assertThat(t.invariants().get("exactly_one_it").checks()).isEqualTo(2_000);
        assertThat(t.events()).extracting(SeenEvent::name).contains("tagged");
    }
}
