package io.worldmesh.testkit;

import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.tag.TagGame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A seed is the whole run: the same seed replays exactly, another seed is another run. */
class ReplayTest {

    @Test
    void aSeedReplaysIdentically() {
        SimulationResult first = new Simulation(SimulationConfig.defaults(), OrbGame::new, 1234).run();
        SimulationResult again = new Simulation(SimulationConfig.defaults(), OrbGame::new, 1234).run();
        assertThat(again).isEqualTo(first);
        assertThat(first.handoversCommitted()).isPositive();
    }

    @Test
    void anotherSeedIsAnotherRun() {
        SimulationResult a = new Simulation(SimulationConfig.defaults(), OrbGame::new, 1).run();
        SimulationResult b = new Simulation(SimulationConfig.defaults(), OrbGame::new, 2).run();
        assertThat(a.traceHash()).isNotEqualTo(b.traceHash());
    }

    @Test
    void anotherGameIsAnotherRun() {
        SimulationConfig config = SimulationConfig.defaults();
        SimulationResult orbs = new Simulation(config, OrbGame::new, 7).run();
        SimulationResult tag = new Simulation(config, TagGame::new, 7).run();
        assertThat(tag.game()).isEqualTo("tag");
        assertThat(tag.traceHash()).isNotEqualTo(orbs.traceHash());
    }
}
