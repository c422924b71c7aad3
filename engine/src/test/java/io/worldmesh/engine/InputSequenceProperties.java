package io.worldmesh.engine;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever order and repeats inputs arrive in, each seq is applied at most once and only going forward. */
class InputSequenceProperties {

    @Property(tries = 200)
    void onlyStrictlyIncreasingSeqsAreApplied(@ForAll @Size(max = 60) List<@LongRange(min = 1, max = 40) Long> seqs) {
        World w = Worlds.orbs();
        Player p = w.join("a", 100, 100);
        long max = 0;
        long expectedApplied = 0;
        for (long seq : seqs) {
            InputOutcome outcome = w.applyInput(p.id(), input(seq, 1, 0));
            if (seq > max) {
                max = seq;
                expectedApplied++;
                assertThat(outcome).isEqualTo(InputOutcome.APPLIED);
            } else {
                assertThat(outcome).isEqualTo(InputOutcome.STALE);
            }
            assertThat(p.lastAppliedSeq()).isEqualTo(max);
        }
        assertThat(p.appliedInputs()).isEqualTo(expectedApplied);
        assertThat(w.stats().staleInputs()).isEqualTo(seqs.size() - expectedApplied);
    }
}
