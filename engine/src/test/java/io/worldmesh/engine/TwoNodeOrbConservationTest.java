package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Invariant;
import io.worldmesh.api.Verdict;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.orbs.OrbSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes owning the west and east halves of a small grid; players walk across and are handed over by hand. */
class TwoNodeOrbConservationTest {

    // Small cells crowded with orbs, so that walks collect, hold, release and cross a lot.
    private static final WorldSettings SMALL = new WorldSettings(4, 2, 16.0, 20, 8.0, 1.0, 2, 6.0, 20, 1);
    private static final OrbSettings ORBS = new OrbSettings(12, 2.5, 15);

    @Test
    void orbsAreConservedOverBothNodesAtEveryStep() {
        long handovers = 0;
        long collected = 0;
        for (long seed = 0; seed < 8; seed++) {
            List<OutboundTransfer> fromWest = new ArrayList<>();
            List<OutboundTransfer> fromEast = new ArrayList<>();
            World west = node(SMALL.withSeed(seed), Worlds.westHalf(SMALL), 1, fromWest);
            World east = node(SMALL.withSeed(seed + 1000), Worlds.eastHalf(SMALL), 2, fromEast);
            OrbGame game = (OrbGame) west.game();
            Invariant conserved = game.invariants().getFirst();
            long total = game.totalOrbs(west.bounds());
            assertThat(total).isEqualTo(12 * 8);
            SplittableRandom random = new SplittableRandom(seed);
            Map<String, Long> seqs = new HashMap<>();
            for (int i = 0; i < 16; i++) {
                (i % 2 == 0 ? west : east).join("p" + i);
            }
            for (int t = 0; t < 300; t++) {
                for (World w : List.of(west, east)) {
                    for (Player p : w.players()) {
                        if (!p.frozen() && random.nextInt(5) == 0) {
                            double a = random.nextDouble(-Math.PI, Math.PI);
                            long seq = Math.max(seqs.getOrDefault(p.id(), 0L), p.lastAppliedSeq()) + 1;
                            seqs.put(p.id(), seq);
                            w.applyInput(p.id(), input(seq, Math.cos(a), Math.sin(a)));
                        }
                    }
                    if (random.nextInt(60) == 0) {
                        w.players().stream().filter(p -> !p.frozen()).findFirst().ifPresent(p -> w.leave(p.id()));
                    }
                    if (random.nextInt(60) == 0) {
                        w.join("late");
                    }
                    w.step();
                    // The player frozen this step still counts on its source, with what it holds.
                    assertConserved(conserved, total, west, east);
                }
                handovers += handOver(fromWest, west, east) + handOver(fromEast, east, west);
                assertConserved(conserved, total, west, east);
                assertEveryPlayerOnExactlyOneNode(west, east);
            }
            collected += sumScores(west) + sumScores(east);
        }
        assertThat(handovers).as("players handed over").isGreaterThan(50);
        assertThat(collected).as("orbs collected by players still in the worlds").isGreaterThan(100);
    }

    private static World node(WorldSettings settings, java.util.Set<CellRef> cells, long incarnation,
                              List<OutboundTransfer> out) {
        World w = Worlds.node(settings, new OrbGame(ORBS), cells, incarnation);
        w.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
            }

            @Override
            public void onOutbound(OutboundTransfer transfer) {
                out.add(transfer);
            }
        });
        w.setCrossingPolicy((player, from, to) -> CrossingDecision.HANDOVER);
        return w;
    }

    /** As the node core will: the frozen state is staged and activated on the target, then the source lets go. */
    private static int handOver(List<OutboundTransfer> transfers, World source, World target) {
        for (OutboundTransfer t : transfers) {
            StageResult staged = target.stage(source.stateOf(t.playerId()), t.from());
            assertThat(staged).isInstanceOf(StageResult.Staged.class);
            target.arrive(((StageResult.Staged) staged).player(), t.state().epoch() + 1);
            assertThat(source.depart(t.playerId())).isTrue();
        }
        int n = transfers.size();
        transfers.clear();
        return n;
    }

    private static void assertConserved(Invariant conserved, long total, World west, World east) {
        List<Map<String, Long>> measures = List.of(conserved.measure(west), conserved.measure(east));
        assertThat(Invariant.sum(measures, "in_world") + Invariant.sum(measures, "held")).isEqualTo(total);
        assertThat(conserved.combine(measures)).isEqualTo(Verdict.HOLDS);
    }

    private static void assertEveryPlayerOnExactlyOneNode(World west, World east) {
        List<String> held = new ArrayList<>();
        for (World w : List.of(west, east)) {
            for (CellRef ref : w.cellRefs()) {
                held.addAll(w.playersInCell(ref));
            }
        }
        assertThat(held).hasSize(west.playerCount() + east.playerCount()).doesNotHaveDuplicates();
    }

    private static long sumScores(World w) {
        return w.players().stream().mapToLong(p -> p.get(OrbGame.SCORE)).sum();
    }
}
