package io.worldmesh.engine;

import io.worldmesh.api.Entity;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.orbs.OrbSettings;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GameActionTest {

    private final List<String> events = new ArrayList<>();
    private final OrbGame game = new OrbGame(new OrbSettings(1, 1.5, 10_000));
    private final World world = new World(WorldSettings.DEFAULTS, game);

    {
        world.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
            }

            @Override
            public void onGameEvent(String playerId, byte[] json) {
                events.add(new String(json, StandardCharsets.UTF_8));
            }
        });
    }

    private static ClientMessage.Input act(long seq, String name, Map<String, Object> fields) {
        return new ClientMessage.Input(seq, Vec2.ZERO, 0, null, new ClientMessage.GameAction(name, fields));
    }

    @Test
    void aDeclaredActionReachesTheGameAndItsEventsReachThePlayer() {
        Entity orb = world.entities().getFirst();
        Player p = world.join("a", orb.x(), orb.z());
        world.step();
        assertThat(p.get(OrbGame.HELD)).hasSize(1);
        assertThat(events).anyMatch(e -> e.contains("\"name\":\"collected\"") && e.contains("\"score\":1"));

        assertThat(world.applyInput(p.id(), act(1, "drop", Map.of()))).isEqualTo(InputOutcome.APPLIED);
        assertThat(p.get(OrbGame.HELD)).isEmpty();
        assertThat(world.entities()).hasSize((int) game.totalOrbs(world.bounds()));
        world.step(); // dropped out of reach: not collected again at once
        assertThat(p.get(OrbGame.HELD)).isEmpty();
        assertThat(events).anyMatch(e -> e.contains("\"name\":\"dropped\""));
    }

    @Test
    void anUndeclaredActionOrBadFieldsChangeNothing() {
        Player p = world.join("a", 100, 100);
        assertThat(world.applyInput(p.id(), act(1, "fly", Map.of()))).isEqualTo(InputOutcome.BAD_ACTION);
        assertThat(world.applyInput(p.id(), act(1, "drop", Map.of("count", 2.0)))).isEqualTo(InputOutcome.BAD_ACTION);
        assertThat(p.lastAppliedSeq()).isZero();
        assertThat(p.appliedInputs()).isZero();
        assertThat(world.stats().badActions()).isEqualTo(2);
        assertThat(world.actionProblem(new ClientMessage.GameAction("fly", Map.of()))).get().asString()
                .contains("no action 'fly'");
    }
}
