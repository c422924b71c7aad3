package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Codecs;
import io.worldmesh.api.Property;
import io.worldmesh.engine.session.PropertySchema;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.handover.PlayerState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Freeze on the west node, then depart there and stage and arrive on the east node, by hand. */
class HandoverLifecycleTest {

    private static final WorldSettings SETTINGS = WorldSettings.DEFAULTS.withDwell(2.0, 0);
    private static final CellRef WEST = new CellRef(3, 0);
    private static final CellRef EAST = new CellRef(4, 0);

    private final RecordingGame westGame = new RecordingGame();
    private final RecordingGame eastGame = new RecordingGame();
    private final World west = Worlds.node(SETTINGS, westGame, Worlds.westHalf(SETTINGS), 1);
    private final World east = Worlds.node(SETTINGS, eastGame, Worlds.eastHalf(SETTINGS), 2);
    private final List<OutboundTransfer> outbound = new ArrayList<>();

    {
        west.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
            }

            @Override
            public void onOutbound(OutboundTransfer transfer) {
                outbound.add(transfer);
            }
        });
        west.setCrossingPolicy((player, from, to) -> CrossingDecision.HANDOVER);
    }

    /** Alice walks east from x = 255 and is frozen at tick 8, at x = 258.2; both worlds are at tick 8. */
    private Player aliceFrozen() {
        Player p = west.join("alice", 255.0, 32);
        p.set(RecordingGame.SCORE, 41L);
        p.set(RecordingGame.NOTE, "carried");
        west.applyInput(p.id(), new ClientMessage.Input(17, new Vec2(1, 0), 1.25, null));
        for (int i = 0; i < 8; i++) {
            west.step();
            east.step();
        }
        assertThat(p.frozen()).isTrue();
        return p;
    }

    @Test
    void departFiresOnDepartOnceAndRemovesThePlayerWithoutOnLeave() {
        Player p = aliceFrozen();
        assertThat(west.depart(p.id())).isTrue();
        assertThat(westGame.callsStartingWith("depart")).containsExactly("depart " + p.id() + " to 4,0 score 41");
        assertThat(westGame.callsStartingWith("leave")).isEmpty();
        assertThat(west.player(p.id())).isEmpty();
        assertThat(west.playersInCell(WEST)).isEmpty();
        assertThat(west.depart(p.id())).isFalse(); // once
        assertThat(westGame.callsStartingWith("depart")).hasSize(1);
        assertThat(west.stats().departures()).isEqualTo(1);
        assertThat(west.stats().leaves()).isZero();

        Player bob = west.join("bob", 100, 100);
        assertThatThrownBy(() -> west.depart(bob.id())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not frozen");
    }

    @Test
    void stageRefusesWhatTheTargetCannotTakeAndChangesNothing() {
        Player p = aliceFrozen();
        PlayerState good = west.stateOf(p.id());
        World twin = Worlds.node(SETTINGS, new RecordingGame(), Worlds.eastHalf(SETTINGS), 2);
        Worlds.steps(twin, 8);

        byte[] unknown = new PropertySchema(List.of(RecordingGame.SCORE, RecordingGame.NOTE,
                Property.of("rec.combo", Codecs.INT, 0))).initial().encode();
        assertThat(east.stage(withSession(good, unknown), WEST)).isInstanceOfSatisfying(StageResult.Refused.class,
                r -> assertThat(r.reason()).contains("unknown property 'rec.combo'"));
        byte[] missing = new PropertySchema(List.of(RecordingGame.SCORE)).initial().encode();
        assertThat(east.stage(withSession(good, missing), WEST)).isInstanceOfSatisfying(StageResult.Refused.class,
                r -> assertThat(r.reason()).contains("missing properties"));
        byte[] otherVersion = new PropertySchema(List.of(RecordingGame.SCORE,
                new Property<>("rec.note", 2, Codecs.STRING, ""))).initial().encode();
        assertThat(east.stage(withSession(good, otherVersion), WEST))
                .isInstanceOfSatisfying(StageResult.Refused.class, r -> assertThat(r.reason()).contains("version 2"));
        assertThat(west.stage(good, WEST)).isInstanceOfSatisfying(StageResult.Refused.class,
                r -> assertThat(r.reason()).contains("already in this world"));
        PlayerState westward = new PlayerState(good.playerId(), good.name(), good.color(), 100, 32, 0, 0, 0, 0, 0,
                good.lastAppliedSeq(), good.appliedInputs(), good.cellEnteredTick(), good.tick(), good.epoch(),
                good.sessionData());
        assertThat(east.stage(westward, WEST)).isInstanceOfSatisfying(StageResult.Refused.class,
                r -> assertThat(r.reason()).contains("cell 1,0").contains("not owned"));
        assertThat(east.stage(good, WEST)).isInstanceOf(StageResult.Staged.class);

        // Nothing changed: no player, no hook, and the world's randomness is where its twin's is.
        assertThat(east.playerCount()).isZero();
        assertThat(eastGame.callsStartingWith("arrive")).isEmpty();
        assertThat(east.stats().arrivals()).isZero();
        assertThat(east.join("x").x()).isEqualTo(twin.join("x").x());
    }

    @Test
    void arriveRestoresThePlayerBitForBitAtTheNewEpochAndFiresOnArriveOnce() {
        Player p = aliceFrozen();
        OutboundTransfer t = outbound.getFirst();
        StageResult staged = east.stage(west.stateOf(p.id()), t.from());
        StagedPlayer sp = ((StageResult.Staged) staged).player();
        assertThat(sp.cell()).isEqualTo(EAST);

        Player there = east.arrive(sp, 2);
        assertThat(east.stateOf(p.id())).isEqualTo(t.state().atEpoch(2));
        assertThat(there.epoch()).isEqualTo(2);
        assertThat(there.cell()).isEqualTo(EAST);
        assertThat(there.get(RecordingGame.SCORE)).isEqualTo(41L);
        assertThat(there.get(RecordingGame.NOTE)).isEqualTo("carried");
        assertThat(there.session().encode()).isEqualTo(t.state().sessionData());
        assertThat(east.playersInCell(EAST)).containsExactly(p.id());
        assertThat(eastGame.callsStartingWith("arrive")).containsExactly("arrive " + p.id() + " from 3,0 into 4,0 at 8");
        assertThatThrownBy(() -> east.arrive(sp, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already in this world");
        assertThat(eastGame.callsStartingWith("arrive")).hasSize(1);
        assertThatThrownBy(() -> west.arrive(sp, 2)).isInstanceOf(IllegalArgumentException.class);

        assertThat(west.depart(p.id())).isTrue();
        // It goes on where it was, on the east node: same direction, next seq.
        assertThat(east.applyInput(p.id(), input(17, 0, 1))).isEqualTo(InputOutcome.STALE);
        east.step();
        assertThat(there.x()).isEqualTo(t.state().x() + 0.4);
        assertThat(east.applyInput(p.id(), input(18, 0, 1))).isEqualTo(InputOutcome.APPLIED);
    }

    @Test
    void noSnapshotAndNoMovementAtOrBelowTheArrivedStatesTick() {
        World behind = Worlds.node(SETTINGS, new RecordingGame(), Worlds.eastHalf(SETTINGS), 3);
        Worlds.steps(behind, 5); // three ticks behind the state's tick 8
        Player p = aliceFrozen();
        PlayerState s = west.stateOf(p.id());
        Player there = behind.arrive(((StageResult.Staged) behind.stage(s, WEST)).player(), 2);
        assertThat(behind.stateOf(p.id()).tick()).isEqualTo(8);
        for (long tick = 6; tick <= 8; tick++) {
            behind.step();
            assertThat(behind.tick()).isEqualTo(tick);
            assertThat(Snapshots.of(behind)).doesNotContainKey(p.id());
            assertThat(there.x()).isEqualTo(s.x()); // its source simulated these ticks already
        }
        behind.step();
        assertThat(Snapshots.of(behind).get(p.id()).path("tick").asLong()).isEqualTo(9);
        assertThat(there.x()).isEqualTo(s.x() + 0.4);
        assertThat(behind.stateOf(p.id()).tick()).isEqualTo(9);
    }

    private static PlayerState withSession(PlayerState s, byte[] session) {
        return new PlayerState(s.playerId(), s.name(), s.color(), s.x(), s.z(), s.vx(), s.vz(), s.yaw(), s.moveX(),
                s.moveZ(), s.lastAppliedSeq(), s.appliedInputs(), s.cellEnteredTick(), s.tick(), s.epoch(), session);
    }
}
