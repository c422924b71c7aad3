package io.worldmesh.engine;

import org.junit.jupiter.api.DynamicTest;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Seeded random cases for property tests: the property runs once per seed and draws all its inputs from that
 * seed's {@link SplittableRandom}, so a failing seed replays exactly. {@code -Dworldmesh.seed=N} runs only seed N.
 */
final class Seeds {

    static final String REPLAY = "worldmesh.seed";

    private Seeds() {
    }

    /** One test per seed 0 .. count - 1, or only the seed given in {@value #REPLAY}. */
    static Stream<DynamicTest> cases(int count, Consumer<SplittableRandom> property) {
        String replay = System.getProperty(REPLAY, "");
        LongStream seeds = replay.isBlank() ? LongStream.range(0, count) : LongStream.of(Long.parseLong(replay));
        return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> run(seed, property)));
    }

    private static void run(long seed, Consumer<SplittableRandom> property) {
        try {
            property.accept(new SplittableRandom(seed));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " fails; replay only it with -D" + REPLAY + "=" + seed + "\n"
                    + e.getMessage(), e);
        }
    }

    /** From min to max inclusive; one time in ten exactly min or max, where off-by-one errors live. */
    static int between(SplittableRandom random, int min, int max) {
        if (random.nextInt(10) == 0) {
            return random.nextBoolean() ? min : max;
        }
        return random.nextInt(min, max + 1);
    }
}
