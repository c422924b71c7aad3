package io.worldmesh.testkit;

import io.worldmesh.api.Game;
import io.worldmesh.api.Invariant;
import io.worldmesh.api.Property;
import io.worldmesh.api.Verdict;
import io.worldmesh.api.WorldView;
import io.worldmesh.games.orbs.OrbGame;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken rule ends the run at once, with what is needed to replay it. */
class ChecksFireTest {

    /** A game that promises what it does not keep: nobody may play after the first second. */
    private static final class BrokenPromise implements Game {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public List<Property<?>> playerProperties() {
            return List.of();
        }

        @Override
        public List<Invariant> invariants() {
            return List.of(new Invariant() {
                @Override
                public String name() {
                    return "nobody_after_tick_20";
                }

                @Override
                public Map<String, Long> measure(WorldView node) {
                    return Map.of("late_players", node.tick() > 20 ? (long) node.players().size() : 0L);
                }

                @Override
                public Verdict combine(List<Map<String, Long>> perNode) {
                    long late = Invariant.sum(perNode, "late_players");
                    return late == 0 ? Verdict.HOLDS : new Verdict.Violated(late + " players after tick 20");
                }
            });
        }
    }

    @Test
    void aGameInvariantThatBreaksFailsTheRunWithItsSeedAndReplay() {
        assertThatThrownBy(() -> new Simulation(SimulationConfig.defaults(), BrokenPromise::new, 77).run())
                .isInstanceOfSatisfying(SimulationFailure.class, f -> {
                    assertThat(f.seed()).isEqualTo(77);
                    assertThat(f.rule()).isEqualTo(Rule.GAME_INVARIANT);
                    assertThat(f.replayCommand()).isEqualTo("./worldmesh simulate --seed 77 --game broken");
                    assertThat(f.getMessage()).startsWith("seed 77 (game broken): game invariant broken at step ")
                            .contains("nobody_after_tick_20: ", "-Dworldmesh.seed=77", "last events:");
                });
    }

    @Test
    void withoutAHealPhaseHandoversAreCutOffAndTerminationCatchesIt() {
        SimulationConfig noHeal = SimulationConfig.defaults().withPhases(Duration.ofSeconds(3), Duration.ZERO);
        List<Rule> broken = new ArrayList<>();
        for (long seed = 0; seed < 30; seed++) {
            try {
                new Simulation(noHeal, OrbGame::new, seed).run();
            } catch (SimulationFailure f) {
                broken.add(f.rule());
            }
        }
        assertThat(broken).isNotEmpty().containsOnly(Rule.TERMINATION);
    }
}
