package io.worldmesh.engine;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

/** Whatever order and repeats inputs arrive in, each seq is applied at most once and only going forward. */
class InputSequenceProperties {

    /**
     * Fails when: applyInput accepts a seq equal to the last applied, or an older one; accepts a first input
     * whatever its seq (0 or negative); does not record the applied seq; does not count an applied or a stale input.
     */
    @TestFactory
    Stream<DynamicTest> onlyStrictlyIncreasingSeqsAreApplied() {
        return Seeds.cases(200, random -> {
            List<Long> seqs = seqs(random);
            World w = Worlds.orbs();
            Player p = w.join("a", 100, 100);
            long max = 0;
            long expectedApplied = 0;
            for (int i = 0; i < seqs.size(); i++) {
                long seq = seqs.get(i);
                InputOutcome outcome = w.applyInput(p.id(), input(seq, 1, 0));
                String at = "seq " + seq + " at #" + i + " of " + seqs;
                if (seq > max) {
                    max = seq;
                    expectedApplied++;
                    assertThat(outcome).as(at).isEqualTo(InputOutcome.APPLIED);
                } else {
                    assertThat(outcome).as(at).isEqualTo(InputOutcome.STALE);
                }
                assertThat(p.lastAppliedSeq()).as(at).isEqualTo(max);
            }
            assertThat(p.appliedInputs()).as("applied of %s", seqs).isEqualTo(expectedApplied);
            assertThat(w.stats().staleInputs()).as("stale of %s", seqs).isEqualTo(seqs.size() - expectedApplied);
        });
    }

    /**
     * Up to 60 seqs from -1 to 40, so with many repeats; the decoder refuses seqs below 1, but the engine must not
     * rely on it. Sometimes sorted, so that repeats come in runs, or reversed, so that only the first can be new.
     */
    private static List<Long> seqs(SplittableRandom random) {
        int size = Seeds.between(random, 0, 60);
        List<Long> seqs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            seqs.add((long) Seeds.between(random, -1, 40));
        }
        switch (random.nextInt(4)) {
            case 0 -> Collections.sort(seqs);
            case 1 -> seqs.sort(Collections.reverseOrder());
            default -> { } // in the order drawn
        }
        return seqs;
    }
}
