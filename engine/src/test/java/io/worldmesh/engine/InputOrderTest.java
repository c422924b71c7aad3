package io.worldmesh.engine;

import org.junit.jupiter.api.Test;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

class InputOrderTest {

    private final World world = Worlds.orbs();
    private final Player p = world.join("a", 100, 100);

    @Test
    void eachSeqIsAppliedOnceAndInOrder() {
        assertThat(world.applyInput(p.id(), input(1, 1, 0))).isEqualTo(InputOutcome.APPLIED);
        assertThat(world.applyInput(p.id(), input(2, 0, 1))).isEqualTo(InputOutcome.APPLIED);
        assertThat(world.applyInput(p.id(), input(2, -1, 0))).isEqualTo(InputOutcome.STALE);
        assertThat(world.applyInput(p.id(), input(1, -1, 0))).isEqualTo(InputOutcome.STALE);
        assertThat(p.lastAppliedSeq()).isEqualTo(2);
        assertThat(p.appliedInputs()).isEqualTo(2);
        assertThat(world.stats().staleInputs()).isEqualTo(2);
        world.step();
        assertThat(p.z()).isGreaterThan(100); // the last applied direction (0, 1) drives, not the refused (-1, 0)
        assertThat(p.x()).isEqualTo(100);
    }

    @Test
    void gapsInSeqAreAllowedButNeverGoBack() {
        assertThat(world.applyInput(p.id(), input(5, 1, 0))).isEqualTo(InputOutcome.APPLIED);
        assertThat(world.applyInput(p.id(), input(3, 1, 0))).isEqualTo(InputOutcome.STALE);
        assertThat(world.applyInput(p.id(), input(6, 1, 0))).isEqualTo(InputOutcome.APPLIED);
        assertThat(p.lastAppliedSeq()).isEqualTo(6);
        assertThat(p.appliedInputs()).isEqualTo(2);
    }

    @Test
    void inputsForUnknownPlayersChangeNothing() {
        assertThat(world.applyInput("p999", input(1, 1, 0))).isEqualTo(InputOutcome.UNKNOWN_PLAYER);
        assertThat(world.stats().appliedInputs()).isZero();
    }
}
