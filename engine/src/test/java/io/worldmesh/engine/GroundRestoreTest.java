package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Entity;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.orbs.OrbSettings;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cell's ground as a checkpoint keeps it: what a node that adopts a dead node's cells, or a restarted node, puts
 * back is exactly the entities of the record (ids, places, properties), so that orbs neither vanish nor appear twice
 * at a failover; a cell without a record, or with one the game refuses, starts as at a node's start.
 */
class GroundRestoreTest {

    private static final WorldSettings SMALL = new WorldSettings(4, 2, 16.0, 20, 8.0, 1.0, 2, 6.0, 20, 1);
    private static final OrbSettings CROWDED = new OrbSettings(12, 2.5, 15);

    @Test
    void anAdoptedCellHoldsExactlyTheEntitiesOfItsRecord() {
        World dead = playedWest();
        Set<CellRef> west = Worlds.westHalf(SMALL);
        Map<CellRef, byte[]> records = records(dead, west);
        List<String> before = describe(dead);

        World taker = Worlds.node(SMALL, new OrbGame(CROWDED), Worlds.eastHalf(SMALL), 2);
        long version = taker.gameStateVersion();
        World.GroundRestore done = taker.adoptCells(west, records);

        assertThat(done.adopted()).containsExactlyInAnyOrderElementsOf(west);
        assertThat(done.restored()).containsExactlyInAnyOrderElementsOf(west);
        assertThat(done.refused()).isEmpty();
        List<String> restored = describe(taker).stream().filter(d -> (Long.parseLong(d.split(" ")[0]) >>> 32) == 1)
                .toList();
        assertThat(restored).as("the dead node's entities, ids and all").isEqualTo(before);
        assertThat(taker.entities()).hasSize(before.size() + CROWDED.orbsPerCell() * Worlds.eastHalf(SMALL).size());
        assertThat(taker.gameStateVersion()).isGreaterThan(version);
    }

    @Test
    void aCellWithoutARecordOrWithOneTheGameRefusesStartsAfresh() {
        World dead = playedWest();
        Set<CellRef> west = Worlds.westHalf(SMALL);
        Map<CellRef, byte[]> records = new HashMap<>(records(dead, west));
        List<CellRef> cells = west.stream().sorted((a, b) -> Integer.compare(a.cx() * 100 + a.cz(),
                b.cx() * 100 + b.cz())).toList();
        CellRef corrupt = cells.get(0);
        CellRef missing = cells.get(1);
        byte[] bad = records.get(corrupt).clone();
        bad[bad.length / 2] ^= 0x40;
        records.put(corrupt, bad);
        records.remove(missing);

        World taker = Worlds.node(SMALL, new OrbGame(CROWDED), Set.of(), 2);
        World.GroundRestore done = taker.adoptCells(west, records);

        assertThat(done.refused()).containsOnlyKeys(corrupt);
        assertThat(done.refused().get(corrupt)).contains("checksum");
        assertThat(done.restored()).doesNotContain(corrupt, missing).hasSize(west.size() - 2);
        for (CellRef fresh : List.of(corrupt, missing)) {
            List<Entity> there = taker.entities().stream().filter(e -> taker.cellUnder(e.x(), e.z()).equals(fresh))
                    .toList();
            assertThat(there).as("started by the game, with the taker's ids").hasSize(CROWDED.orbsPerCell())
                    .allMatch(e -> (e.id() >>> 32) == 2);
        }
    }

    @Test
    void aRestartedNodeReplacesWhatTheGameStartedItsCellsWithByTheirRecords() {
        World dead = playedWest();
        Set<CellRef> west = Worlds.westHalf(SMALL);
        Map<CellRef, byte[]> records = records(dead, west);

        World again = Worlds.node(SMALL, new OrbGame(CROWDED), west, 3);
        assertThat(again.entities()).hasSize(CROWDED.orbsPerCell() * west.size());
        World.GroundRestore done = again.restoreGround(records);

        assertThat(done.restored()).containsExactlyInAnyOrderElementsOf(west);
        assertThat(describe(again)).isEqualTo(describe(dead));
    }

    @Test
    void theGameStateVersionGrowsWithPickupsButNotWithMovementAlone() {
        World empty = Worlds.node(SMALL, new OrbGame(new OrbSettings(0, 2.5, 15)), Worlds.westHalf(SMALL), 1);
        Player p = empty.join("walker");
        long version = empty.gameStateVersion();
        for (int seq = 1; seq <= 40; seq++) {
            empty.applyInput(p.id(), input(seq, 1, 0.3));
            empty.step();
        }
        assertThat(empty.gameStateVersion()).as("nothing to collect: only positions changed").isEqualTo(version);

        World crowded = Worlds.node(SMALL, new OrbGame(CROWDED), Worlds.westHalf(SMALL), 1);
        long start = crowded.gameStateVersion();
        walk(crowded, 4, 100, new SplittableRandom(7));
        long score = crowded.players().stream().mapToLong(q -> q.get(OrbGame.SCORE)).sum();
        assertThat(score).as("the walkers collected orbs").isPositive();
        assertThat(crowded.gameStateVersion()).isGreaterThan(start);
    }

    /** A west-half node whose players walked and collected orbs, so that its ground is no fresh start's. */
    private static World playedWest() {
        World w = Worlds.node(SMALL, new OrbGame(CROWDED), Worlds.westHalf(SMALL), 1);
        walk(w, 4, 100, new SplittableRandom(3));
        assertThat(w.players().stream().mapToLong(q -> q.get(OrbGame.SCORE)).sum()).as("orbs were picked up")
                .isPositive();
        return w;
    }

    private static void walk(World w, int players, int steps, SplittableRandom random) {
        for (int i = 0; i < players; i++) {
            w.join("p" + i);
        }
        Map<String, Long> seqs = new HashMap<>();
        for (int t = 0; t < steps; t++) {
            for (Player p : w.players()) {
                double a = random.nextDouble(-Math.PI, Math.PI);
                long seq = seqs.merge(p.id(), 1L, Long::sum);
                w.applyInput(p.id(), input(seq, Math.cos(a), Math.sin(a)));
            }
            w.step();
        }
    }

    private static Map<CellRef, byte[]> records(World w, Set<CellRef> cells) {
        Map<CellRef, byte[]> out = new HashMap<>();
        for (CellRef c : cells) {
            out.put(c, w.groundOf(c));
        }
        return out;
    }

    private static List<String> describe(World w) {
        return w.entities().stream().sorted((a, b) -> Long.compare(a.id(), b.id()))
                .map(e -> e.id() + " " + e.kind() + " " + e.x() + " " + e.z() + " " + e.get(OrbGame.VALUE) + " "
                        + e.label() + " " + e.color())
                .toList();
    }
}
