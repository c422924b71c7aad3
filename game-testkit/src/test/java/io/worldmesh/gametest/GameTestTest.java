package io.worldmesh.gametest;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GameTestTest {

    @Test
    void aDeclaredActionReachesTheGameAndItsEventAndHudReadAsTypedValues() {
        GameTest t = GameTest.of(PingGame::new).build();
        TestPlayer alice = t.join("alice", 10, 10);
        t.act(alice, "ping", Map.of("loud", true));
        t.act(alice, "ping", Map.of("loud", false));
        t.step();

        assertThat(alice.get(PingGame.PINGS)).isEqualTo(2L);
        assertThat(t.events(alice)).extracting(SeenEvent::name).containsExactly("pong", "pong");
        SeenEvent last = t.events(alice).getLast();
        assertThat(last.number("count")).isEqualTo(2L);
        assertThat(last.data()).containsEntry("loud", false);
        assertThat(t.hud(alice)).containsExactly(Map.entry("pings", 2L), Map.entry("mood", "fine"));
        assertThat(t.stats()).containsEntry("pings", 2L);
    }

    @Test
    void anActionTheGameWouldRefuseIsRefusedWithTheClientsReasonAndChangesNothing() {
        GameTest t = GameTest.of(PingGame::new).build();
        TestPlayer bob = t.join("bob", 10, 10);
        assertThatThrownBy(() -> t.act(bob, "fly", Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no action 'fly'");
        assertThatThrownBy(() -> t.act(bob, "ping", Map.of("loud", "yes"))).hasMessageContaining("must be boolean");
        t.step();
        assertThat(bob.get(PingGame.PINGS)).isZero();
        assertThat(t.events(bob)).isEmpty();
    }

    @Test
    void aBrokenInvariantFailsTheStepThatBrokeIt() {
        GameTest t = GameTest.of(PingGame::new).build();
        TestPlayer carol = t.join("carol", 10, 10);
        t.step(3);
        t.act(carol, "spoil", Map.of());
        assertThatThrownBy(t::step).isInstanceOf(InvariantFailure.class).hasMessageContaining("nobody_spoilt")
                .hasMessageContaining("1 spoilt");
        assertThat(t.invariants().get("nobody_spoilt")).isEqualTo(new Checks(4, 1, 0));
        assertThat(t.invariants().get("pings_kept")).isEqualTo(new Checks(4, 0, 0));
    }

    @Test
    void aPlayerWalkingIntoAnotherNodesStripeIsHandedOverWithItsProperties() {
        GameTest t = GameTest.of(PingGame::new).grid(2, 1).nodes(2).build();
        TestPlayer dan = t.join("dan", 20, 16); // west node's cell, 12 m from the border
        t.act(dan, "ping", Map.of("loud", true));
        assertThat(t.nodeIndexOf(dan)).isZero();
        t.move(dan, 1, 0);
        t.step(3 * t.tickRate()); // 8 m/s: across within 2 s
        assertThat(t.nodeIndexOf(dan)).isEqualTo(1);
        assertThat(t.handovers()).isEqualTo(1);
        assertThat(dan.get(PingGame.PINGS)).as("carried across").isEqualTo(1L);
        assertThat(dan.get(PingGame.ARRIVALS)).as("onArrive once").isEqualTo(1L);
        assertThat(dan.x()).isGreaterThan(32);
    }

    @Test
    void clusterStateAnswersArriveOnALaterTick() {
        GameTest t = GameTest.of(PingGame::new).build();
        t.join("erin", 10, 10);
        assertThat(t.clusterState(PingGame.LAST_JOIN).value()).isEmpty();
        t.step(); // the read's answer: the game writes
        t.step();
        assertThat(t.clusterState(PingGame.LAST_JOIN).value()).isEqualTo("erin");
    }

    @Test
    void randomPlayExercisesActionsHandoversAndChecksAndTheSameSeedPlaysTheSame() {
        GameTest once = GameTest.of(PingGame::gentle).grid(4, 4).nodes(2).seed(5).build();
        PlayReport a = once.playRandomly(9, 20, 400);
        GameTest again = GameTest.of(PingGame::gentle).grid(4, 4).nodes(2).seed(5).build();
        PlayReport b = again.playRandomly(9, 20, 400);
        assertThat(a).isEqualTo(b);
        assertThat(once.stats()).isEqualTo(again.stats()); // players who left took their pings along
        assertThat(once.stats().get("pings")).isPositive().isLessThanOrEqualTo(a.actions());
        assertThat(a.actions()).isGreaterThan(100);
        assertThat(a.handovers()).isPositive();
        assertThat(a.checks()).as("two invariants, every tick").isEqualTo(800);
        assertThat(a.leaves()).as("pings_kept saw them go").isPositive();
        assertThat(a.joins()).isGreaterThan(20); // some left, newcomers came
    }

    @Test
    void randomPlayFindsAnInvariantThatActionsCanBreak() {
        // PingGame's "spoil" action breaks nobody_spoilt: random play sends it sooner or later.
        GameTest t = GameTest.of(PingGame::new).build();
        assertThatThrownBy(() -> t.playRandomly(1, 10, 400)).isInstanceOf(InvariantFailure.class);
    }

    @Test
    void aTimerFiresOnceWhenDueAndSettingItAgainMovesIt() {
        GameTest t = GameTest.of(PingGame::new).build();
        TestPlayer erin = t.join("erin", 10, 10);
        t.act(erin, "later", Map.of("ticks", 10.0));
        t.step(5);
        t.act(erin, "later", Map.of("ticks", 10.0)); // now due at tick 15
        t.step(9);
        assertThat(erin.get(PingGame.LATERS)).isZero();
        t.step();
        assertThat(erin.get(PingGame.LATERS)).isEqualTo(1L);
        assertThat(t.events(erin)).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("later");
            assertThat(e.number("tick")).isEqualTo(15L);
        });
        t.step(40);
        assertThat(erin.get(PingGame.LATERS)).isEqualTo(1L);
    }

    @Test
    void aTimerTravelsWithItsPlayerAndFiresOnTheNodeThatHasItThen() {
        GameTest t = GameTest.of(PingGame::new).grid(2, 1).nodes(2).build();
        TestPlayer fay = t.join("fay", 20, 16);
        t.act(fay, "later", Map.of("ticks", 100.0));
        t.move(fay, 1, 0);
        t.step(60); // across the border at 8 m/s, then stands at the world's edge
        assertThat(t.nodeIndexOf(fay)).isEqualTo(1);
        assertThat(fay.get(PingGame.LATERS)).isZero();
        t.step(40);
        assertThat(fay.get(PingGame.LATERS)).isEqualTo(1L);
        assertThat(t.events(fay).getLast().number("tick")).isEqualTo(100L);
    }

    @Test
    void aPlayerHoldsAtMostSixteenTimers() {
        GameTest t = GameTest.of(PingGame::greedy).build();
        TestPlayer gus = t.join("gus", 10, 10);
        assertThatThrownBy(() -> t.act(gus, "hoard", Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at most 16 timers");
    }
}
