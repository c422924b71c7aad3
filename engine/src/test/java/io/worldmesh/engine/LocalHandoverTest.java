package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.games.orbs.HeldOrb;
import io.worldmesh.games.orbs.OrbGame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

class LocalHandoverTest {

    private static final CellRef A = new CellRef(0, 0);
    private static final CellRef B = new CellRef(1, 0);

    private final List<CellChange> changes = new ArrayList<>();

    private World world(double hysteresis, int dwell) {
        World w = Worlds.orbs(WorldSettings.DEFAULTS.withDwell(hysteresis, dwell));
        w.setListener(changes::add);
        return w;
    }

    @Test
    void changesCellOnlyOnceThePlayerIsHysteresisPastTheBorder() {
        World w = world(2.0, 0);
        Player p = w.join("a", 63.0, 32); // 0.4 m per tick towards the border at x = 64
        w.applyInput(p.id(), input(1, 1, 0));
        Worlds.steps(w, 7); // x = 65.8: across, but within the 2 m margin
        assertThat(p.cell()).isEqualTo(A);
        assertThat(w.playersInCell(A)).containsExactly(p.id());
        w.step(); // x = 66.2
        assertThat(p.cell()).isEqualTo(B);
        assertThat(w.playersInCell(A)).isEmpty();
        assertThat(w.playersInCell(B)).containsExactly(p.id());
        assertThat(changes).containsExactly(new CellChange(p.id(), A, B, 8));
        assertThat(w.stats().localHandovers()).isEqualTo(1);
    }

    @Test
    void walkingAlongABorderDoesNotFlap() {
        World w = world(2.0, 0);
        Player p = w.join("a", 63.0, 32);
        long seq = 0;
        for (int i = 0; i < 200; i++) { // back and forth between x = 63 and x = 65.4
            double dir = (i / 6) % 2 == 0 ? 1 : -1;
            w.applyInput(p.id(), input(++seq, dir, 0.1));
            w.step();
        }
        assertThat(changes).isEmpty();
        assertThat(p.cell()).isEqualTo(A);
    }

    @Test
    void aPlayerMustDwellBeforeChangingCellAgain() {
        World w = world(0.0, 10);
        Player p = w.join("a", 63.9, 32);
        Worlds.steps(w, 10); // dwelt its 10 ticks in A
        w.applyInput(p.id(), input(1, 1, 0));
        w.step(); // x = 64.3: into B
        assertThat(p.cell()).isEqualTo(B);
        w.applyInput(p.id(), input(2, -1, 0));
        Worlds.steps(w, 9); // back over the border at once, but too soon to change again
        assertThat(p.x()).isLessThan(64);
        assertThat(p.cell()).isEqualTo(B);
        w.step();
        assertThat(p.cell()).isEqualTo(A);
        assertThat(changes).extracting(CellChange::to).containsExactly(B, A);
    }

    @Test
    void aHandoverPreservesThePlayersStateExactly() throws Exception {
        World w = world(0.0, 0);
        Player p = w.join("a", 63.9, 32);
        p.set(OrbGame.SCORE, 41L);
        p.set(OrbGame.HELD, List.of(new HeldOrb(7, 1_000_000), new HeldOrb(9, 1_000_001)));
        w.applyInput(p.id(), new io.worldmesh.protocol.client.ClientMessage.Input(
                17, new io.worldmesh.protocol.client.Vec2(1, 0), 1.25, null));
        byte[] session = p.session().encode();
        long checksum = p.session().checksum();
        w.step();
        assertThat(changes).hasSize(1);
        Player after = w.player(p.id()).orElseThrow();
        assertThat(after).isSameAs(p);
        assertThat(after.cell()).isEqualTo(B);
        assertThat(after.session().encode()).isEqualTo(session);
        assertThat(after.session().checksum()).isEqualTo(checksum);
        // Bit for bit through the canonical encoding, as a handover to another node will carry it.
        assertThat(w.schema().decode(session).encode()).isEqualTo(session);
        assertThat(after.lastAppliedSeq()).isEqualTo(17);
        assertThat(after.appliedInputs()).isEqualTo(1);
        assertThat(after.yaw()).isEqualTo(1.25);
        assertThat(after.name()).isEqualTo("a");
        assertThat(after.x()).isEqualTo(63.9 + 0.4);
    }
}
