package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark hook's way into a handover: a world owning the west half, its border to the east at x = 256. */
class BenchFreezeTest {

    private final RecordingGame game = new RecordingGame();
    private final List<OutboundTransfer> outbound = new ArrayList<>();
    private final World west = Worlds.node(WorldSettings.DEFAULTS, game, Worlds.westHalf(WorldSettings.DEFAULTS), 1);

    BenchFreezeTest() {
        west.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
            }

            @Override
            public void onOutbound(OutboundTransfer transfer) {
                outbound.add(transfer);
            }
        });
    }

    @Test
    void theNearestForeignNeighbourIsAcrossTheNearestEdgeOwnedElsewhere() {
        Player nearBorder = west.join("ann", 250, 100);
        Player inside = west.join("bob", 130, 100);
        assertThat(west.nearestForeignNeighbour(nearBorder.id())).contains(new CellRef(4, 1));
        assertThat(west.nearestForeignNeighbour(inside.id())).isEmpty(); // cell (2, 1): every neighbour is west's
    }

    @Test
    void freezingPutsThePlayerTheMarginPastTheBorderAndReportsItsState() {
        Player p = west.join("ann", 200, 100);
        west.step();
        west.freezeForHandover(p.id(), new CellRef(4, 1));

        assertThat(p.frozen()).isTrue();
        assertThat(p.x()).isEqualTo(256 + WorldSettings.DEFAULTS.hysteresisM());
        assertThat(p.z()).isEqualTo(100);
        assertThat(outbound).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(new CellRef(3, 1));
            assertThat(t.to()).isEqualTo(new CellRef(4, 1));
            assertThat(t.state().x()).isEqualTo(p.x());
            assertThat(t.state().tick()).isEqualTo(west.tick());
        });
        assertThat(west.playersInCell(new CellRef(3, 1))).containsExactly(p.id());
    }

    @Test
    void towardsLowerCoordinatesThePlayerLandsInTheCellBeyond() {
        World east = Worlds.node(WorldSettings.DEFAULTS, game, Worlds.eastHalf(WorldSettings.DEFAULTS), 2);
        Player p = east.join("cy", 260, 100);
        east.freezeForHandover(p.id(), new CellRef(3, 1));
        assertThat(p.x()).isLessThan(256 - WorldSettings.DEFAULTS.hysteresisM() + 1e-9);
        assertThat((int) Math.floor(p.x() / 64)).isEqualTo(3);
    }

    @Test
    void onlyAnEdgeNeighbourOwnedElsewhereAndOnlyOnce() {
        Player p = west.join("ann", 250, 100);
        assertThatThrownBy(() -> west.freezeForHandover(p.id(), new CellRef(2, 1)))
                .isInstanceOf(IllegalArgumentException.class); // owned here: a local change
        assertThatThrownBy(() -> west.freezeForHandover(p.id(), new CellRef(4, 2)))
                .isInstanceOf(IllegalArgumentException.class); // a corner
        west.freezeForHandover(p.id(), new CellRef(4, 1));
        assertThatThrownBy(() -> west.freezeForHandover(p.id(), new CellRef(4, 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> west.freezeForHandover("nobody", new CellRef(4, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
