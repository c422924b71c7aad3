package io.worldmesh.spec;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-checks {@code Handover.tla} (see the module's README.md): the safe model holds every invariant and ends
 * every handover; each unsafe design HANDOVER-RULES names breaks the invariant it names, and no other first.
 * {@code -Dworldmesh.tlc.timeout=S} sets the limit per run of TLC (default 240 s; every run takes well under a
 * minute on two cores).
 */
class HandoverSpecTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("worldmesh.tlc.timeout", 240));
    private static final String NO_ERROR = "Model checking completed. No error has been found.";
    /** TLC's exit status for a violated invariant or action property. */
    private static final int SAFETY_VIOLATION = 12;

    @Test
    void theProtocolHoldsEveryInvariant() throws Exception {
        holds("Handover");
    }

    @Test
    void everyHandoverEnds() throws Exception {
        holds("HandoverTermination");
    }

    /** ADR-0002: "COMMIT timeout: target assumes success, source cleans up". HANDOVER-RULES: within six steps. */
    @Test
    void aTargetThatAssumesSuccessOnTheCommitTimeoutDuplicatesThePlayer() throws Exception {
        Tlc.Run run = violates("HandoverAdrCommitTimeout", "SingleOwner");
        assertThat(run.traceSteps()).as(run.describe()).isBetween(1, 6);
    }

    /** Rule 4: a delayed duplicate PREPARE re-stages a player its target has since handed on. Rules: 14 steps. */
    @Test
    void activationWithoutTheOwnerCheckMakesTwoOwners() throws Exception {
        Tlc.Run run = violates("HandoverNoActivationCheck", "SingleOwner");
        assertThat(run.traceSteps()).as(run.describe()).isEqualTo(14);
    }

    /** Rule 5: with a volatile staged copy, a target crash right after the commit loses the player. Rules: 4. */
    @Test
    void aVolatileStagedCopyLosesThePlayerWhenTheTargetCrashes() throws Exception {
        Tlc.Run run = violates("HandoverVolatileStaged", "NoLoss");
        assertThat(run.traceSteps()).as(run.describe()).isEqualTo(4);
    }

    private static void holds(String config) throws Exception {
        Tlc.Run run = Tlc.check(config, TIMEOUT);
        assertThat(run.output()).as(run.describe()).contains(NO_ERROR);
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.distinct()).as(run.describe()).isPositive();
    }

    private static Tlc.Run violates(String config, String invariant) throws Exception {
        Tlc.Run run = Tlc.check(config, TIMEOUT);
        assertThat(run.violated()).as(run.describe()).containsExactly(invariant);
        assertThat(run.output()).as(run.describe()).contains("Error: Invariant " + invariant + " is violated.");
        assertThat(run.exitCode()).as(run.describe()).isEqualTo(SAFETY_VIOLATION);
        assertThat(run.traceStates()).as(run.describe()).isPositive();
        return run;
    }
}
