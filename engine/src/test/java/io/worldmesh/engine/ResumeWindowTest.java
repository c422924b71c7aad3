package io.worldmesh.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A disconnected player waits out the resume window in ticks the world ran, not in ticks it skipped. */
class ResumeWindowTest {

    private static final WorldSettings WINDOW_30 = new WorldSettings(4, 4, 64.0, 20, 8.0, 2.0, 10, 6.0, 30, 1L);

    private static World driven() {
        return Worlds.node(WINDOW_30, new io.worldmesh.games.orbs.OrbGame(),
                WorldPlacement.wholeGrid(WINDOW_30).ownedCells(), 1);
    }

    @Test
    void aDisconnectedPlayerLeavesOnceTheWindowHasRunOut() {
        World w = driven();
        Player p = w.join("ana", 10, 10);
        w.disconnect(p.id());
        for (long t = 1; t <= 29; t++) {
            w.advanceTo(t);
        }
        assertThat(w.player(p.id())).isPresent();
        w.advanceTo(30);
        assertThat(w.player(p.id())).isEmpty();
    }

    @Test
    void ticksSkippedAfterAPauseDoNotCountAgainstTheWindow() {
        World w = driven();
        Player p = w.join("bo", 10, 10);
        w.advanceTo(1);
        w.disconnect(p.id()); // e.g. learnt right after a hang, before the first tick after it
        w.advanceTo(200);     // the world did not run ticks 2..199
        assertThat(w.player(p.id())).as("1 tick of its window gone, not 199").isPresent();
        assertThat(w.resume(p.id())).isPresent();
    }
}
