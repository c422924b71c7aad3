package io.worldmesh.games.tag;

import io.worldmesh.engine.CellChange;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldListener;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TagGameTest {

    private final List<String> events = new ArrayList<>();

    private World world(WorldSettings settings) {
        World w = new World(settings, new TagGame(new TagSettings(2.0, 10)));
        w.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
            }

            @Override
            public void onGameEvent(String playerId, byte[] json) {
                events.add(playerId + " " + new String(json, StandardCharsets.UTF_8));
            }
        });
        return w;
    }

    @Test
    void theFirstPlayerIsItAndTouchingPassesItOn() {
        World w = world(WorldSettings.DEFAULTS);
        Player a = w.join("a", 100, 100);
        Player b = w.join("b", 103, 100);
        assertThat(a.get(TagGame.IT)).isTrue();
        assertThat(b.get(TagGame.IT)).isFalse();
        for (int i = 0; i < 10; i++) {
            w.step(); // "it" is safe, and so cannot tag, for the first 10 ticks
        }
        assertThat(a.get(TagGame.IT)).isTrue();
        w.applyInput(a.id(), new ClientMessage.Input(1, new Vec2(1, 0), 0, null));
        w.step(); // 0.4 m closer: 2.6 m apart, still out of reach
        assertThat(b.get(TagGame.IT)).isFalse();
        w.step();
        w.step(); // 1.8 m apart
        assertThat(b.get(TagGame.IT)).isTrue();
        assertThat(a.get(TagGame.IT)).isFalse();
        assertThat(b.get(TagGame.TIMES_IT)).isEqualTo(1);
        assertThat(events).anyMatch(e -> e.startsWith(b.id() + " ") && e.contains("\"name\":\"tagged\"")
                && e.contains("\"it\":\"" + b.id() + "\"") && e.contains("\"by\":\"" + a.id() + "\""));
        w.step(); // still touching, but b is safe and a cannot be tagged straight back
        assertThat(b.get(TagGame.IT)).isTrue();
        assertThat(w.game().playerColor(b)).isNotNull();
        assertThat(w.game().playerColor(a)).isNull();
    }

    @Test
    void whenItLeavesSomeoneElseIsIt() {
        World w = world(WorldSettings.DEFAULTS);
        Player a = w.join("a", 10, 10);
        Player b = w.join("b", 300, 300);
        w.leave(a.id());
        assertThat(b.get(TagGame.IT)).isTrue();
        w.leave(b.id());
        Player c = w.join("c", 50, 50);
        assertThat(c.get(TagGame.IT)).isTrue();
    }

    @Test
    void exactlyOneItHoldsThroughWalksJoinsLeavesAndHandovers() {
        WorldSettings crowded = new WorldSettings(3, 3, 16.0, 20, 8.0, 1.0, 2, 6.0, 20, 5);
        long tags = 0;
        for (long seed = 0; seed < 20; seed++) {
            World w = world(crowded.withSeed(seed));
            TagGame game = (TagGame) w.game();
            InvariantMonitor monitor = new InvariantMonitor(game.invariants());
            SplittableRandom random = new SplittableRandom(seed);
            List<String> ids = new ArrayList<>();
            long[] seq = new long[400];
            for (int i = 0; i < 15; i++) {
                ids.add(w.join("p" + i).id());
            }
            for (int t = 0; t < 300; t++) {
                for (int i = 0; i < ids.size(); i++) {
                    if (random.nextInt(20) == 0) { // hold a heading for a while, so that players meet and cross
                        double a = random.nextDouble(-Math.PI, Math.PI);
                        w.applyInput(ids.get(i), new ClientMessage.Input(++seq[i],
                                new Vec2(Math.cos(a), Math.sin(a)), a, null));
                    }
                }
                if (random.nextInt(30) == 0 && !ids.isEmpty()) {
                    w.leave(ids.remove(random.nextInt(ids.size())));
                }
                if (random.nextInt(30) == 0 && ids.size() < seq.length) {
                    ids.add(w.join("late").id());
                }
                w.step();
                monitor.accept(w);
            }
            tags += events.stream().filter(e -> e.contains("\"tagged\"") && !e.contains("\"by\":\"\"")).count();
            events.clear();
            assertThat(monitor.tallies().get("exactly_one_it").violations()).as("seed %d: %s", seed, monitor.messages())
                    .isZero();
            assertThat(w.stats().localHandovers()).isPositive();
        }
        assertThat(tags).as("tags seen, over all seeds").isGreaterThan(20);
    }
}
