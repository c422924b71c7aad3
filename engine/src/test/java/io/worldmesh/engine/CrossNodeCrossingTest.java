package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.handover.PlayerState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A world owning the west half of the default grid: the border to the east half is at x = 256. */
class CrossNodeCrossingTest {

    private static final WorldSettings NO_DWELL = WorldSettings.DEFAULTS.withDwell(2.0, 0);
    private static final CellRef WEST = new CellRef(3, 0);
    private static final CellRef EAST = new CellRef(4, 0);

    private final RecordingGame game = new RecordingGame();
    private final List<OutboundTransfer> outbound = new ArrayList<>();
    private final List<CellRef[]> asked = new ArrayList<>();

    private World westNode(WorldSettings settings, CrossingDecision answer) {
        World w = Worlds.node(settings, game, Worlds.westHalf(settings), 1);
        w.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
            }

            @Override
            public void onOutbound(OutboundTransfer transfer) {
                outbound.add(transfer);
            }
        });
        w.setCrossingPolicy((player, from, to) -> {
            asked.add(new CellRef[] {from, to});
            return answer;
        });
        return w;
    }

    @Test
    void crossingIntoAForeignCellFreezesThePlayerAndReportsItsExactState() {
        World w = westNode(NO_DWELL, CrossingDecision.HANDOVER);
        Player p = w.join("alice", 255.0, 32);
        p.set(RecordingGame.SCORE, 41L);
        p.set(RecordingGame.NOTE, "carried");
        w.applyInput(p.id(), new ClientMessage.Input(17, new Vec2(1, 0), 1.25, null));
        Worlds.steps(w, 7); // x = 257.8: across, but within the 2 m margin
        assertThat(outbound).isEmpty();
        assertThat(asked).isEmpty();
        w.step(); // x = 258.2
        assertThat(asked).hasSize(1);
        assertThat(asked.getFirst()).containsExactly(WEST, EAST);
        assertThat(outbound).hasSize(1);
        OutboundTransfer t = outbound.getFirst();
        assertThat(t.playerId()).isEqualTo(p.id());
        assertThat(t.from()).isEqualTo(WEST);
        assertThat(t.to()).isEqualTo(EAST);
        assertThat(t.state()).isEqualTo(w.stateOf(p.id()));

        PlayerState s = t.state();
        assertThat(s.playerId()).isEqualTo("p1-1");
        assertThat(s.name()).isEqualTo("alice");
        assertThat(s.color()).isEqualTo(p.color());
        assertThat(s.x()).isCloseTo(258.2, within(1e-9)).isEqualTo(p.x());
        assertThat(s.z()).isEqualTo(32);
        assertThat(s.vx()).isCloseTo(8.0, within(1e-9));
        assertThat(s.vz()).isZero();
        assertThat(s.yaw()).isEqualTo(1.25);
        assertThat(s.moveX()).isEqualTo(1);
        assertThat(s.moveZ()).isZero();
        assertThat(s.lastAppliedSeq()).isEqualTo(17);
        assertThat(s.appliedInputs()).isEqualTo(1);
        assertThat(s.cellEnteredTick()).isZero();
        assertThat(s.tick()).isEqualTo(8);
        assertThat(s.epoch()).isEqualTo(1);
        assertThat(s.sessionData()).isEqualTo(p.session().encode());

        assertThat(p.frozen()).isTrue();
        assertThat(p.cell()).isEqualTo(WEST); // it stays in its cell until the handover ends
        assertThat(w.playersInCell(WEST)).containsExactly(p.id());
        assertThat(w.playersInCell(EAST)).isEmpty();
        assertThat(w.stats().handoversOut()).isEqualTo(1);
        assertThat(w.stats().localHandovers()).isZero();
    }

    @Test
    void aFrozenPlayerIsNotSimulatedTakesNoInputAndCannotBeChangedOrExpire() {
        WorldSettings s = NO_DWELL;
        WorldSettings shortWindow = new WorldSettings(s.cellsX(), s.cellsZ(), s.cellSizeM(), s.tickRateHz(),
                s.maxSpeedMps(), s.hysteresisM(), s.minDwellTicks(), s.teleportToleranceM(), 3, s.seed());
        World w = westNode(shortWindow, CrossingDecision.HANDOVER);
        Player p = w.join("alice", 255.0, 32);
        Player bob = w.join("bob", 254.0, 34);
        w.applyInput(p.id(), input(1, 1, 0));
        Worlds.steps(w, 8);
        assertThat(p.frozen()).isTrue();
        assertThat(Snapshots.of(w)).containsKey(p.id()); // the snapshot of the tick it froze in
        PlayerState frozen = w.stateOf(p.id());
        game.seen.clear();
        w.step();
        // Its client still sees the world every tick while it waits: a newer tick, the player where it froze.
        assertThat(Snapshots.of(w)).containsKey(p.id()).containsKey(bob.id());
        assertThat(Snapshots.of(w).get(p.id()).path("tick").asLong()).isEqualTo(w.tick()).isGreaterThan(frozen.tick());
        assertThat(Snapshots.of(w).get(p.id()).path("you").path("x").asDouble()).isEqualTo(frozen.x(), within(0.01));
        assertThat(Snapshots.of(w).get(p.id()).path("last_applied_seq").asLong()).isEqualTo(frozen.lastAppliedSeq());
        assertThat(frozen.vx()).isNotZero(); // it froze walking, and will walk on at the target
        assertThat(Snapshots.of(w).get(p.id()).path("you").path("vx").asDouble()).isZero(); // but stands still now
        assertThat(Snapshots.of(w).get(bob.id()).path("entities").toString()).contains("\"" + p.id() + "\"");

        w.disconnect(p.id()); // its resume window (3 ticks) would run out while frozen
        Worlds.steps(w, 10);
        assertThat(w.player(p.id())).containsSame(p);
        assertThat(game.callsStartingWith("leave")).isEmpty();
        assertThat(p.x()).isEqualTo(frozen.x());
        assertThat(w.stateOf(p.id())).isEqualTo(frozen); // nothing moved, not even the tick stamp
        assertThat(game.seen).containsExactly(bob.id()); // the hooks never saw it

        assertThat(w.applyInput(p.id(), input(2, -1, 0))).isEqualTo(InputOutcome.FROZEN);
        assertThat(p.lastAppliedSeq()).isEqualTo(1);
        assertThat(p.appliedInputs()).isEqualTo(1);
        assertThat(p.moveX()).isEqualTo(1);
        assertThat(w.stats().frozenInputs()).isEqualTo(1);

        // A game that kept a reference cannot change a frozen player from a hook.
        game.duringTick = ctx -> p.set(RecordingGame.SCORE, 99L);
        org.assertj.core.api.Assertions.assertThatThrownBy(w::step)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(p.id()).hasMessageContaining("frozen for a handover");
        assertThat(p.get(RecordingGame.SCORE)).isZero();
        assertThat(w.stateOf(p.id()).sessionData()).isEqualTo(frozen.sessionData());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.leave(p.id()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(p.id());
    }

    @Test
    void aHoldKeepsThePlayerAtTheBorderWithTheReasonInItsHud() {
        World w = westNode(NO_DWELL, new CrossingDecision.Hold("cross-node handover is off"));
        Player p = w.join("alice", 255.0, 32);
        w.applyInput(p.id(), input(1, 1, 0));
        for (int i = 0; i < 30; i++) {
            w.step();
            assertThat(p.x() - 256).as("tick %d", w.tick()).isLessThan(NO_DWELL.hysteresisM());
        }
        assertThat(p.x()).isGreaterThan(256 + NO_DWELL.hysteresisM() - 0.01);
        assertThat(p.cell()).isEqualTo(WEST);
        assertThat(p.frozen()).isFalse();
        assertThat(p.vx()).isCloseTo(0, within(1e-6)); // held still, whatever it presses
        assertThat(outbound).isEmpty();
        assertThat(asked).hasSize(23); // every tick from the first past the margin on
        assertThat(p.heldBecause()).isEqualTo("cross-node handover is off");
        assertThat(Snapshots.of(w).get(p.id()).path("hud").path("border").asText())
                .isEqualTo("cross-node handover is off");

        w.applyInput(p.id(), input(2, 0, 1)); // walks along the border instead: no longer pushing
        w.step();
        assertThat(p.heldBecause()).isNull();
        assertThat(Snapshots.of(w).get(p.id()).path("hud").has("border")).isFalse();
        assertThat(p.cell()).isEqualTo(WEST);
    }

    @Test
    void beforeItsDwellIsDoneAPlayerIsHeldAtAForeignBorderWithoutAskingThePolicy() {
        World w = westNode(WorldSettings.DEFAULTS.withDwell(2.0, 20), CrossingDecision.HANDOVER);
        Player p = w.join("alice", 255.0, 32);
        w.applyInput(p.id(), input(1, 1, 0));
        Worlds.steps(w, 19);
        assertThat(asked).isEmpty();
        assertThat(p.x() - 256).isLessThan(2.0).isGreaterThan(1.99);
        w.step(); // dwelt 20 ticks: now the policy decides
        assertThat(asked).hasSize(1);
        assertThat(outbound).hasSize(1);
    }

    @Test
    void afterAnAbortThePlayerSimulatesAgainAndIsHeldUntilItsRetryTick() {
        World w = westNode(NO_DWELL, CrossingDecision.HANDOVER);
        Player p = w.join("alice", 255.0, 32);
        w.applyInput(p.id(), input(1, 1, 0));
        Worlds.steps(w, 8);
        assertThat(p.frozen()).isTrue();
        long retryAt = w.tick() + 20;

        assertThat(w.unfreeze(p.id(), retryAt)).isTrue();
        assertThat(p.frozen()).isFalse();
        assertThat(p.epoch()).isEqualTo(1); // same epoch: the handover never happened
        p.set(RecordingGame.NOTE, "unlocked again");
        assertThat(w.applyInput(p.id(), input(2, 1, 0))).isEqualTo(InputOutcome.APPLIED);
        while (w.tick() < retryAt - 1) {
            w.step(); // still pushing east
            assertThat(p.heldBecause()).isEqualTo(World.RETRY_REASON);
            assertThat(p.x() - 256).isLessThan(NO_DWELL.hysteresisM());
        }
        assertThat(Snapshots.of(w).get(p.id()).path("hud").path("border").asText()).isEqualTo("handover retry");
        assertThat(asked).hasSize(1); // no new PREPARE storm while it pushes against the border
        w.step(); // the retry tick: asked again, frozen again
        assertThat(asked).hasSize(2);
        assertThat(outbound).hasSize(2);
        assertThat(p.frozen()).isTrue();
        assertThat(outbound.get(1).state().lastAppliedSeq()).isEqualTo(2);
        assertThat(w.stats().handoversAborted()).isEqualTo(1);
        assertThat(w.unfreeze("nobody", 0)).isFalse();
    }
}
