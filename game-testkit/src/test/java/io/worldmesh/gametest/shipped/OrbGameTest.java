package io.worldmesh.gametest.shipped;

import io.worldmesh.api.Entity;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.orbs.OrbSettings;
import io.worldmesh.gametest.GameTest;
import io.worldmesh.gametest.PlayReport;
import io.worldmesh.gametest.SeenEvent;
import io.worldmesh.gametest.TestPlayer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The orb game on the game testkit, as a game team tests its own: collecting, dropping, respawning, and its
 * conservation across nodes. (It lives here rather than in games/orbs because the engine's own tests use orbs.)
 */
class OrbGameTest {

    private static final OrbSettings QUICK = new OrbSettings(4, 2.5, 40);

    private static GameTest oneNode() {
        return GameTest.of(() -> new OrbGame(QUICK)).grid(2, 2).build();
    }

    @Test
    void walkingOntoAnOrbCollectsItAndScoresItsValue() {
        GameTest t = oneNode();
        t.step();
        long onGround = t.stats().get("orbs_on_ground");
        Entity orb = t.entities().getFirst();
        TestPlayer alice = t.join("alice", orb.x(), orb.z());
        t.step();

        assertThat(alice.get(OrbGame.HELD)).hasSize(1);
        assertThat(alice.get(OrbGame.SCORE)).isEqualTo(orb.get(OrbGame.VALUE));
        assertThat(t.events(alice)).extracting(SeenEvent::name).contains("collected");
        assertThat(t.hud(alice)).containsEntry("held", 1L).containsEntry("score", orb.get(OrbGame.VALUE));
        assertThat(t.stats()).containsEntry("orbs_on_ground", onGround - 1).containsEntry("orbs_held", 1L);
    }

    @Test
    void aHeldOrbIsDroppedOutOfReachOrFallsBackAfterItsHoldTime() {
        GameTest t = oneNode();
        t.step();
        Entity orb = t.entities().getFirst();
        TestPlayer bob = t.join("bob", orb.x(), orb.z());
        t.step();
        t.act(bob, OrbGame.DROP, Map.of());
        assertThat(bob.get(OrbGame.HELD)).isEmpty();
        assertThat(t.events(bob).getLast().name()).isEqualTo("dropped");
        t.step(); // out of reach: not picked up again
        assertThat(bob.get(OrbGame.HELD)).isEmpty();

        // Collect again somewhere else, then wait out the hold time: the orb respawns, the score stays.
        Entity another = t.entities().stream().filter(e -> Math.hypot(e.x() - bob.x(), e.z() - bob.z()) > 10)
                .findFirst().orElseThrow();
        TestPlayer carol = t.join("carol", another.x(), another.z());
        t.step();
        assertThat(carol.get(OrbGame.HELD)).hasSize(1);
        t.step(QUICK.holdTicks());
        assertThat(carol.get(OrbGame.HELD)).isEmpty();
        assertThat(carol.get(OrbGame.SCORE)).isPositive();
        assertThat(t.stats().get("orbs_on_ground") + t.stats().get("orbs_held")).isEqualTo(16);
    }

    @Test
    void dropTakesNoFields() {
        GameTest t = oneNode();
        TestPlayer dan = t.join("dan", 5, 5);
        assertThatThrownBy(() -> t.act(dan, OrbGame.DROP, Map.of("how", "gently")))
                .hasMessageContaining("has no field 'how'");
    }

    @Test
    void randomPlayOnThreeNodesConservesTheOrbs() {
        GameTest t = GameTest.of(() -> new OrbGame(QUICK)).grid(6, 3).nodes(3).seed(3).build();
        PlayReport r = t.playRandomly(11, 30, 1_200);
        assertThat(r.handovers()).as("players crossed between nodes").isGreaterThan(10);
        assertThat(r.actions()).as("drops").isGreaterThan(500);
        assertThat(t.invariants().get("orbs_conserved").checks()).isEqualTo(1_200);
        assertThat(t.stats().get("score_total")).isPositive();
    }
}
