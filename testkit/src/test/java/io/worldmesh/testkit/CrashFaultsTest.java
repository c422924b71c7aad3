package io.worldmesh.testkit;

import io.worldmesh.games.orbs.OrbGame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Faults#CRASHES} profile does what it says: nodes crash at any step and start again as new incarnations,
 * the gateway crashes and comes back, the directory goes down; live nodes take dead nodes over, players are restored
 * from checkpoints and inputs are rolled back. Not every seed holds every rule under it yet (see docs/failures.md);
 * this test is about the faults, which the seeds that hold must have gone through.
 */
class CrashFaultsTest {

    @Test
    void processesDieAndComeBackAndTheirPlayersAreRestored() {
        SeedSweep.Report report = SeedSweep.run(SimulationConfig.defaults().withFaults(Faults.CRASHES)
                .withFailover(true), OrbGame::new, 0, 120, 2, p -> { });
        assertThat(report.held()).as("most seeds hold every rule").hasSizeGreaterThan(report.seeds() / 2);
        assertThat(report.total(SimulationResult::nodeCrashes)).isPositive();
        assertThat(report.total(SimulationResult::nodeRestarts))
                .isGreaterThanOrEqualTo(report.total(SimulationResult::nodeCrashes));
        assertThat(report.total(SimulationResult::gatewayCrashes)).isPositive();
        assertThat(report.total(SimulationResult::directoryOutages)).isPositive();
        assertThat(report.total(SimulationResult::nodesTakenOver)).isPositive();
        assertThat(report.total(SimulationResult::playersRestored)).isPositive();
        assertThat(report.total(SimulationResult::inputsRolledBack)).isPositive();
        assertThat(report.total(SimulationResult::handoversCommitted)).isGreaterThan(report.seeds());
    }

    @Test
    void aSeedUnderCrashesReplaysExactly() {
        SimulationConfig config = SimulationConfig.defaults().withFaults(Faults.CRASHES).withFailover(true);
        for (long seed = 0; seed < 40; seed++) {
            Object first = outcome(config, seed);
            if (first instanceof SimulationResult r && r.nodeCrashes() > 0) {
                assertThat(((SimulationResult) outcome(config, seed)).traceHash()).isEqualTo(r.traceHash());
                return;
            }
        }
        throw new AssertionError("no seed of 40 held every rule with a node crash in it");
    }

    private static Object outcome(SimulationConfig config, long seed) {
        try {
            return new Simulation(config, OrbGame::new, seed).run();
        } catch (SimulationFailure f) {
            return f;
        }
    }
}
