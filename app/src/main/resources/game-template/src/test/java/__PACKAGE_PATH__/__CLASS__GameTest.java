package __PACKAGE__;

import io.worldmesh.gametest.GameTest;
import io.worldmesh.gametest.PlayReport;
import io.worldmesh.gametest.SeenEvent;
import io.worldmesh.gametest.TestPlayer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class __CLASS__GameTest {

    @Test
    void spendingTakesEnergyAndTellsEveryoneInView() {
        GameTest t = GameTest.of(__CLASS__Game::new).build();
        TestPlayer alice = t.join("alice", 10, 10);
        TestPlayer bob = t.join("bob", 12, 10);
        t.act(alice, __CLASS__Game.SPEND, Map.of("amount", 3.0));
        t.step();

        assertThat(alice.get(__CLASS__Game.ENERGY)).isEqualTo(7L);
        assertThat(t.hud(alice)).containsEntry("energy", 7L).containsEntry("spent", 3L);
        assertThat(t.events(bob)).extracting(SeenEvent::name).containsExactly("spent");
        assertThat(t.events(bob).getFirst().text("by")).isEqualTo("alice");
        assertThat(t.stats()).containsEntry("energy_spent", 3L);
    }

    @Test
    void energyComesBackOneASecondAndNoFurtherThanTheMaximum() {
        GameTest t = GameTest.of(__CLASS__Game::new).build();
        TestPlayer carol = t.join("carol", 10, 10);
        t.act(carol, __CLASS__Game.SPEND, Map.of("amount", 100.0)); // more than she has: all of it
        assertThat(carol.get(__CLASS__Game.ENERGY)).isZero();
        t.step(3 * t.tickRate());
        assertThat(carol.get(__CLASS__Game.ENERGY)).isEqualTo(3L);
        t.step(20 * t.tickRate());
        assertThat(carol.get(__CLASS__Game.ENERGY)).isEqualTo(__CLASS__Game.MAX_ENERGY);
    }

    @Test
    void randomPlayOnTwoNodesKeepsTheInvariant() {
        // Every invariant is checked after every tick: a violation fails the step that caused it.
        PlayReport r = GameTest.of(__CLASS__Game::new).grid(4, 4).nodes(2).build().playRandomly(1, 20, 600);
        assertThat(r.actions()).isPositive();
        assertThat(r.handovers()).isPositive();
        assertThat(r.checks()).isEqualTo(600);
    }
}
