package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.orbs.OrbSettings;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

/** Random walks, joins and leaves never create or destroy an orb, and never lose a player between cells. */
class OrbConservationProperties {

    // Small cells crowded with orbs, so that walks collect, hold, release and hand over a lot.
    private static final WorldSettings SMALL = new WorldSettings(3, 3, 16.0, 20, 8.0, 1.0, 2, 6.0, 20, 1);

    /**
     * Fails when: held orbs vanish on leave; a due orb is released without going back into the world; collecting
     * keeps the orb in the world as well; a handover drops the player from both cells, or leaves it in the old one
     * too; a leaving player stays in its cell.
     */
    @TestFactory
    Stream<DynamicTest> orbsInTheWorldPlusOrbsHeldStayConstant() {
        return Seeds.cases(100, random -> {
            long worldSeed = random.nextLong();
            int players = Seeds.between(random, 1, 25);
            int ticks = Seeds.between(random, 20, 300);
            String inputs = "world seed " + worldSeed + ", " + players + " players, " + ticks + " ticks";
            OrbGame game = new OrbGame(new OrbSettings(12, 2.5, 15));
            World w = new World(SMALL.withSeed(worldSeed), game);
            InvariantMonitor monitor = new InvariantMonitor(game.invariants());
            List<String> ids = new ArrayList<>();
            Map<String, Long> seqs = new HashMap<>(); // by id, not by place in ids: leaves shift the places
            for (int i = 0; i < players; i++) {
                ids.add(w.join("p" + i).id());
            }
            for (int t = 0; t < ticks; t++) {
                for (String id : ids) {
                    if (random.nextInt(5) == 0) {
                        double a = random.nextDouble(-Math.PI, Math.PI);
                        w.applyInput(id, input(seqs.merge(id, 1L, Long::sum), Math.cos(a), Math.sin(a)));
                    }
                }
                if (random.nextInt(40) == 0 && !ids.isEmpty()) {
                    w.leave(ids.remove(random.nextInt(ids.size())));
                }
                if (random.nextInt(40) == 0) {
                    ids.add(w.join("late").id());
                }
                w.step();
                monitor.accept(w);
                // Stop at the first broken tick: a world that makes orbs out of nothing soon has too many to walk.
                assertThat(monitor.tallies().get("orbs_conserved").violations())
                        .as("%s: %s", inputs, monitor.messages()).isZero();
                assertEveryPlayerInExactlyOneCell(w, inputs + ", tick " + w.tick());
            }
            assertThat(monitor.tallies().get("orbs_conserved").checks()).as(inputs).isEqualTo(ticks);
        });
    }

    private static void assertEveryPlayerInExactlyOneCell(World w, String at) {
        List<String> held = new ArrayList<>();
        for (CellRef ref : w.cellRefs()) {
            held.addAll(w.playersInCell(ref));
        }
        assertThat(held).as(at).hasSize(w.playerCount()).doesNotHaveDuplicates();
    }
}
