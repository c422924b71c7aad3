package io.worldmesh.engine;

import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import org.junit.jupiter.api.Test;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MovementTest {

    private final World world = Worlds.orbs();
    private final double step = WorldSettings.DEFAULTS.maxSpeedMps() * WorldSettings.DEFAULTS.tickSeconds();

    @Test
    void movesAtMaxSpeedInTheInputDirection() {
        Player p = world.join("a", 100, 100);
        world.applyInput(p.id(), input(1, 1, 0));
        Worlds.steps(world, 10);
        assertThat(p.x()).isCloseTo(100 + 10 * step, within(1e-9));
        assertThat(p.z()).isCloseTo(100, within(1e-9));
        assertThat(p.vx()).isCloseTo(WorldSettings.DEFAULTS.maxSpeedMps(), within(1e-9));
    }

    @Test
    void aHugeVectorIsClampedToFullSpeed() {
        Player p = world.join("a", 100, 100);
        world.applyInput(p.id(), input(1, 1000, 1000));
        world.step();
        double moved = Math.hypot(p.x() - 100, p.z() - 100);
        assertThat(moved).isCloseTo(step, within(1e-9));
    }

    @Test
    void aNonFiniteVectorStopsThePlayerInsteadOfPoisoningItsPosition() {
        Player p = world.join("a", 100, 100);
        world.applyInput(p.id(), input(1, 1, 0));
        world.applyInput(p.id(), new ClientMessage.Input(2, new Vec2(Double.NaN, 1), Double.NaN, null));
        world.step();
        assertThat(p.x()).isEqualTo(100);
        assertThat(p.z()).isEqualTo(100);
        assertThat(Double.isFinite(p.yaw())).isTrue();
    }

    @Test
    void playersCannotLeaveTheWorld() {
        Player west = world.join("w", 0.1, 10);
        Player south = world.join("s", 10, world.settings().depthM() - 0.1);
        world.applyInput(west.id(), input(1, -1, 0));
        world.applyInput(south.id(), input(1, 0, 1));
        Worlds.steps(world, 50);
        assertThat(west.x()).isEqualTo(0);
        assertThat(south.z()).isLessThan(world.settings().depthM()).isGreaterThan(world.settings().depthM() - 0.5);
        assertThat(west.vx()).isEqualTo(0);
    }

    @Test
    void aPredictedPositionFarFromTheServersIsIgnoredAndCounted() {
        Player p = world.join("a", 100, 100);
        InputOutcome outcome = world.applyInput(p.id(),
                new ClientMessage.Input(1, new Vec2(1, 0), 0, new Vec2(400, 400)));
        world.step();
        assertThat(outcome).isEqualTo(InputOutcome.APPLIED_TELEPORT_IGNORED);
        assertThat(p.x()).isCloseTo(100 + step, within(1e-9));
        assertThat(world.stats().teleportAttempts()).isEqualTo(1);
    }

    @Test
    void aDisconnectedPlayerStopsAndLeavesAfterTheResumeWindow() {
        WorldSettings s = WorldSettings.DEFAULTS;
        World w = Worlds.orbs(new WorldSettings(s.cellsX(), s.cellsZ(), s.cellSizeM(), s.tickRateHz(),
                s.maxSpeedMps(), s.hysteresisM(), s.minDwellTicks(), s.teleportToleranceM(), 5, s.seed()));
        Player p = w.join("a", 100, 100);
        w.applyInput(p.id(), input(1, 1, 0));
        w.disconnect(p.id());
        Worlds.steps(w, 4);
        assertThat(p.x()).isEqualTo(100);
        assertThat(w.player(p.id())).isPresent();
        Worlds.steps(w, 1);
        assertThat(w.player(p.id())).isEmpty();
        assertThat(w.playersInCell(new io.worldmesh.api.CellRef(1, 1))).doesNotContain(p.id());
    }
}
