package io.worldmesh.gametest;

import io.worldmesh.api.ActionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded random play over a {@link GameTest}: what a crowd of careless players does to a game, every invariant
 * checked after every tick. Each tick, each player turns now and then (about once a second), sends one of the
 * game's actions now and then (about once a second; fields filled by type: a short word, a number from 0 to 100,
 * a coin toss), and rarely leaves, a newcomer taking its place.
 */
final class RandomPlay {

    private static final String[] WORDS = {"hello", "here", "north", "south", "east", "west", "go", "wait"};

    private final GameTest test;
    private final SplittableRandom random;

    RandomPlay(GameTest test, long seed) {
        this.test = test;
        this.random = new SplittableRandom(seed);
    }

    PlayReport run(int players, int ticks) {
        double perTick = 1.0 / test.tickRate(); // once a second, on average
        List<ActionSpec> actions = test.declaredActions();
        List<TestPlayer> playing = new ArrayList<>();
        long joins = 0;
        long leaves = 0;
        long sent = 0;
        long handoversBefore = test.handovers();
        long checksBefore = checks();
        for (int i = 0; i < players; i++) {
            playing.add(test.join("random-" + (++joins)));
        }
        for (int t = 0; t < ticks; t++) {
            for (int i = 0; i < playing.size(); i++) {
                TestPlayer p = playing.get(i);
                if (random.nextDouble() < perTick / 50) {
                    test.leave(p);
                    leaves++;
                    p = test.join("random-" + (++joins));
                    playing.set(i, p);
                }
                if (random.nextDouble() < perTick) {
                    double heading = random.nextDouble(2 * Math.PI);
                    test.move(p, Math.cos(heading), Math.sin(heading));
                }
                if (!actions.isEmpty() && random.nextDouble() < perTick) {
                    ActionSpec a = actions.get(random.nextInt(actions.size()));
                    test.act(p, a.name(), fields(a));
                    sent++;
                }
            }
            test.step();
        }
        return new PlayReport(ticks, joins, leaves, sent, test.handovers() - handoversBefore, checks() - checksBefore);
    }

    private Map<String, Object> fields(ActionSpec a) {
        Map<String, Object> out = new LinkedHashMap<>();
        new java.util.TreeMap<>(a.fields()).forEach((name, type) -> out.put(name, switch (type) {
            case STRING -> WORDS[random.nextInt(WORDS.length)];
            case NUMBER -> random.nextInt(10_001) / 100.0;
            case BOOLEAN -> random.nextBoolean();
        }));
        return out;
    }

    private long checks() {
        return test.invariants().values().stream().mapToLong(Checks::checks).sum();
    }
}
