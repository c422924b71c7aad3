package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Entity;
import io.worldmesh.api.EntitySpec;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.orbs.OrbSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementTest {

    private static final WorldSettings S = WorldSettings.DEFAULTS;

    @Test
    void theGameStartsOnlyTheOwnedCellsInGridOrder() {
        RecordingGame game = new RecordingGame();
        World w = Worlds.node(S, game, Set.of(new CellRef(5, 2), new CellRef(1, 0), new CellRef(2, 7)), 1);
        assertThat(game.calls).containsExactly("startCell 1,0 players 0", "startCell 5,2 players 0",
                "startCell 2,7 players 0");
        assertThat(w.ownedCells()).containsExactly(new CellRef(1, 0), new CellRef(5, 2), new CellRef(2, 7));
        assertThat(w.owns(new CellRef(5, 2))).isTrue();
        assertThat(w.owns(new CellRef(0, 0))).isFalse();
        assertThat(w.cellRefs()).hasSize(64); // the grid stays whole

        World orbs = Worlds.node(S, new OrbGame(new OrbSettings(3, 2.5, 20)), Worlds.westHalf(S), 1);
        assertThat(orbs.entities()).hasSize(3 * 32)
                .allMatch(e -> orbs.owns(new CellRef((int) (e.x() / 64), (int) (e.z() / 64))));
        for (CellRef cell : orbs.ownedCells()) { // orbsPerCell in each owned cell, none elsewhere
            long inCell = orbs.entities().stream()
                    .filter(e -> (int) (e.x() / 64) == cell.cx() && (int) (e.z() / 64) == cell.cz()).count();
            assertThat(inCell).as("cell %s", cell).isEqualTo(3);
        }
    }

    @Test
    void idsCarryTheIncarnationSoThatTheyAreUniqueAcrossTheCluster() {
        World single = new World(S, new OrbGame());
        assertThat(single.join("a").id()).isEqualTo("p1");
        assertThat(single.join("b").id()).isEqualTo("p2");
        assertThat(single.entities()).allMatch(e -> e.id() >>> 32 == 0);

        World node = Worlds.node(S, new OrbGame(), Worlds.westHalf(S), 7);
        assertThat(node.join("a").id()).isEqualTo("p7-1");
        assertThat(node.join("b").id()).isEqualTo("p7-2");
        assertThat(node.entities()).isNotEmpty().allMatch(e -> e.id() >>> 32 == 7);
        World restarted = Worlds.node(S, new OrbGame(), Worlds.westHalf(S), 8);
        assertThat(restarted.join("a").id()).isEqualTo("p8-1");
        assertThat(restarted.entities()).noneMatch(e -> node.entities().stream().anyMatch(o -> o.id() == e.id()));
    }

    @Test
    void playersJoinOnlyInOwnedCells() {
        World w = Worlds.node(S, new RecordingGame(), Worlds.westHalf(S), 1);
        for (int i = 0; i < 200; i++) {
            Player p = w.join("r" + i);
            assertThat(w.owns(p.cell())).isTrue();
            assertThat(p.x()).isLessThan(256);
        }
        assertThatThrownBy(() -> w.join("east", 300, 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4,0").hasMessageContaining("not owned");
        assertThat(w.join("west", 200, 32).cell()).isEqualTo(new CellRef(3, 0));
    }

    @Test
    void entitiesSpawnedOrMovedIntoAForeignCellStayInTheNearestOwnedOne() {
        RecordingGame game = new RecordingGame();
        World w = Worlds.node(S, game, Worlds.westHalf(S), 1);
        List<Entity> made = new ArrayList<>();
        game.duringTick = ctx -> {
            if (made.isEmpty()) {
                made.add(ctx.spawn(new EntitySpec("thing", 300, 32, "", "#fff")));
                Entity other = ctx.spawn(new EntitySpec("thing", 100, 40, "", "#fff"));
                ctx.move(other, 400, 600);
                made.add(other);
            }
        };
        w.step();
        assertThat(made.get(0).x()).isEqualTo(Math.nextDown(256.0));
        assertThat(made.get(0).z()).isEqualTo(32);
        assertThat(made.get(1).x()).isEqualTo(Math.nextDown(256.0));
        assertThat(made.get(1).z()).isEqualTo(Math.nextDown(512.0)); // clamped into the world, then west
    }

    @Test
    void ticksAreClusterWideAndADriverThatFellBehindSkipsNumbers() {
        World w = new World(S, new RecordingGame(), new WorldPlacement(Worlds.westHalf(S), 1000, 1));
        assertThat(w.tick()).isEqualTo(1000);
        Player p = w.join("a", 100, 100);
        assertThat(p.cellEnteredTick()).isEqualTo(1000);
        w.applyInput(p.id(), input(1, 1, 0));
        w.step();
        assertThat(w.tick()).isEqualTo(1001);
        w.advanceTo(1005);
        assertThat(w.tick()).isEqualTo(1005);
        assertThat(p.x()).isEqualTo(100 + 0.4 + 0.4); // one step of movement per call, not per skipped number
        assertThatThrownBy(() -> w.advanceTo(1005)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.advanceTo(900)).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.stateOf(p.id()).tick()).isEqualTo(1005);
    }

    /** A node whose cells moved to others while it was down starts with none, takes no one, and may adopt some. */
    @Test
    void aWorldWithoutCellsTakesNoPlayerUntilItAdoptsACell() {
        RecordingGame game = new RecordingGame();
        World w = Worlds.node(S, game, Set.of(), 1);
        assertThatThrownBy(() -> w.join("ana")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("owns no cell");
        assertThat(w.adoptCells(List.of(new CellRef(1, 0), new CellRef(0, 0)))).as("in grid order")
                .containsExactly(new CellRef(0, 0), new CellRef(1, 0));
        assertThat(w.adoptCells(List.of(new CellRef(0, 0)))).as("owned already").isEmpty();
        assertThat(w.ownedCells()).containsExactly(new CellRef(0, 0), new CellRef(1, 0));
        assertThat(game.calls).as("the game starts each adopted cell once")
                .containsExactly("startCell " + new CellRef(0, 0) + " players 0", "startCell " + new CellRef(1, 0)
                        + " players 0");
        assertThat(w.join("ana").cell()).isIn(new CellRef(0, 0), new CellRef(1, 0));
    }

    @Test
    void thePlacementIsChecked() {
        assertThatThrownBy(() -> new WorldPlacement(Set.of(new CellRef(0, 0)), -1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Worlds.node(S, new RecordingGame(), Set.of(new CellRef(8, 0)), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
    }
}
