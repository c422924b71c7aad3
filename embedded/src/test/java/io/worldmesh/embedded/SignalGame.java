package io.worldmesh.embedded;

import io.worldmesh.api.Action;
import io.worldmesh.api.ActionField;
import io.worldmesh.api.ActionSpec;
import io.worldmesh.api.Codecs;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.GameProvider;
import io.worldmesh.api.Invariant;
import io.worldmesh.api.Property;
import io.worldmesh.api.Verdict;
import io.worldmesh.api.WorldView;

import java.util.List;
import java.util.Map;

/**
 * A test game whose one action carries a field of every type: players count the signals they send, and its
 * invariant holds only while every signal the game was given had its fields of the declared types. Every cell has a
 * zone at its centre, for the browser to draw.
 */
public final class SignalGame implements Game {

    static final Property<Long> SIGNALS = Property.of("signal.count", Codecs.LONG, 0L);
    static final Property<Long> MISTYPED = Property.of("signal.mistyped", Codecs.LONG, 0L);

    @Override
    public String name() {
        return "signal";
    }

    @Override
    public List<Property<?>> playerProperties() {
        return List.of(SIGNALS, MISTYPED);
    }

    @Override
    public List<ActionSpec> actions() {
        return List.of(new ActionSpec("signal", Map.of("word", ActionField.STRING, "level", ActionField.NUMBER,
                "loud", ActionField.BOOLEAN)));
    }

    @Override
    public void onAction(GamePlayer player, Action action, GameContext ctx) {
        boolean typed = action.fields().get("word") instanceof String && action.fields().get("level") instanceof Double
                && action.fields().get("loud") instanceof Boolean;
        player.set(typed ? SIGNALS : MISTYPED, player.get(typed ? SIGNALS : MISTYPED) + 1);
    }

    static final double ZONE_RADIUS_M = 6;

    @Override
    public void startCell(io.worldmesh.api.CellView cell, GameContext ctx) {
        double size = ctx.bounds().cellSize();
        ctx.spawn(io.worldmesh.api.EntitySpec.zone("beacon_zone", (cell.cell().cx() + 0.5) * size,
                (cell.cell().cz() + 0.5) * size, ZONE_RADIUS_M, "zone", "#4fd1c5"));
    }

    @Override
    public Map<String, Long> stats(WorldView node) {
        return Map.of("signals", node.players().stream().mapToLong(p -> p.get(SIGNALS)).sum());
    }

    @Override
    public List<Invariant> invariants() {
        return List.of(new Invariant() {
            @Override
            public String name() {
                return "signals_typed";
            }

            @Override
            public Map<String, Long> measure(WorldView node) {
                return Map.of("mistyped", node.players().stream().mapToLong(p -> p.get(MISTYPED)).sum());
            }

            @Override
            public Verdict combine(List<Map<String, Long>> perNode) {
                long bad = Invariant.sum(perNode, "mistyped");
                return bad == 0 ? Verdict.HOLDS : new Verdict.Violated(bad + " signals had mistyped fields");
            }
        });
    }

    /** Registered for this module's tests in META-INF/services, as a game team's jar would. */
    public static final class Provider implements GameProvider {
        @Override
        public String name() {
            return "signal";
        }

        @Override
        public String summary() {
            return "test game: an action with a field of every type";
        }

        @Override
        public Game create() {
            return new SignalGame();
        }
    }
}
