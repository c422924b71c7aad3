package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.orbs.OrbSettings;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

/** Random walks, joins and leaves never create or destroy an orb, and never lose a player between cells. */
class OrbConservationProperties {

    // Small cells crowded with orbs, so that walks collect, hold, release and hand over a lot.
    private static final WorldSettings SMALL = new WorldSettings(3, 3, 16.0, 20, 8.0, 1.0, 2, 6.0, 20, 1);

    @Property(tries = 60)
    void orbsInTheWorldPlusOrbsHeldStayConstant(@ForAll long seed, @ForAll @IntRange(min = 1, max = 25) int players,
                                                @ForAll @IntRange(min = 20, max = 300) int ticks) {
        OrbGame game = new OrbGame(new OrbSettings(12, 2.5, 15));
        World w = new World(SMALL.withSeed(seed), game);
        InvariantMonitor monitor = new InvariantMonitor(game.invariants());
        SplittableRandom random = new SplittableRandom(seed);
        List<String> ids = new ArrayList<>();
        long[] seqs = new long[1000];
        long collected = 0;
        for (int i = 0; i < players; i++) {
            ids.add(w.join("p" + i).id());
        }
        for (int t = 0; t < ticks; t++) {
            for (int i = 0; i < ids.size(); i++) {
                if (random.nextInt(5) == 0) {
                    double a = random.nextDouble(-Math.PI, Math.PI);
                    w.applyInput(ids.get(i), input(++seqs[i], Math.cos(a), Math.sin(a)));
                }
            }
            if (random.nextInt(40) == 0 && !ids.isEmpty()) {
                w.leave(ids.remove(random.nextInt(ids.size())));
            }
            if (random.nextInt(40) == 0 && ids.size() < seqs.length) {
                ids.add(w.join("late").id());
            }
            w.step();
            monitor.accept(w);
            assertEveryPlayerInExactlyOneCell(w);
        }
        for (Player p : w.players()) {
            collected += p.get(OrbGame.SCORE);
        }
        assertThat(monitor.tallies().get("orbs_conserved").violations())
                .as("violations: %s (collected %d)", monitor.messages(), collected).isZero();
        assertThat(monitor.tallies().get("orbs_conserved").checks()).isEqualTo(ticks);
    }

    private static void assertEveryPlayerInExactlyOneCell(World w) {
        List<String> held = new ArrayList<>();
        for (CellRef ref : w.cellRefs()) {
            held.addAll(w.playersInCell(ref));
        }
        assertThat(held).hasSize(w.playerCount()).doesNotHaveDuplicates();
    }
}
