package __PACKAGE__;

import io.worldmesh.api.Action;
import io.worldmesh.api.ActionField;
import io.worldmesh.api.ActionSpec;
import io.worldmesh.api.CellView;
import io.worldmesh.api.Codecs;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.GameEvent;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.HudFields;
import io.worldmesh.api.Invariant;
import io.worldmesh.api.Property;
import io.worldmesh.api.Verdict;
import io.worldmesh.api.WorldView;

import java.util.List;
import java.util.Map;

/**
 * __NAME__, a starting point: every player carries energy, which refills by one a second up to
 * {@link #MAX_ENERGY}; the action {@code spend {amount}} spends some and tells everyone in view. Its invariant:
 * nobody's energy ever leaves 0 .. {@link #MAX_ENERGY}. Make it your own: docs/game-api.md in Worldmesh says what
 * every hook may do.
 */
public final class __CLASS__Game implements Game {

    public static final long MAX_ENERGY = 10;
    /** Per-player state lives in declared properties: they travel with the player from node to node. */
    public static final Property<Long> ENERGY = Property.of("__NAME__.energy", Codecs.LONG, MAX_ENERGY);
    public static final Property<Long> SPENT = Property.of("__NAME__.spent", Codecs.LONG, 0L);
    public static final String SPEND = "spend";

    @Override
    public String name() {
        return "__NAME__";
    }

    @Override
    public List<Property<?>> playerProperties() {
        return List.of(ENERGY, SPENT);
    }

    @Override
    public List<ActionSpec> actions() {
        return List.of(new ActionSpec(SPEND, Map.of("amount", ActionField.NUMBER)));
    }

    /** {@code spend {amount}}: at most what the player has; a negative amount spends nothing. */
    @Override
    public void onAction(GamePlayer player, Action action, GameContext ctx) {
        long asked = Math.round((Double) action.fields().get("amount"));
        long spent = Math.max(0, Math.min(asked, player.get(ENERGY)));
        if (spent == 0) {
            return;
        }
        player.set(ENERGY, player.get(ENERGY) - spent);
        player.set(SPENT, player.get(SPENT) + spent);
        ctx.sendInView(player, new GameEvent("spent", Map.of("by", player.name(), "amount", spent)));
    }

    /** Once a second, everyone in the cell gets one energy back. */
    @Override
    public void onCellTick(CellView cell, GameContext ctx) {
        long ticksPerSecond = Math.round(1 / ctx.tickSeconds());
        if (ctx.tick() % ticksPerSecond != 0) {
            return;
        }
        for (GamePlayer p : cell.players()) {
            if (p.get(ENERGY) < MAX_ENERGY) {
                p.set(ENERGY, p.get(ENERGY) + 1);
            }
        }
    }

    @Override
    public void hud(GamePlayer player, HudFields out) {
        out.put("energy", player.get(ENERGY));
        out.put("spent", player.get(SPENT));
    }

    /** Figures for the demo's summary and its --json "game" object, summed over the nodes. */
    @Override
    public Map<String, Long> stats(WorldView node) {
        return Map.of("energy_spent", node.players().stream().mapToLong(p -> p.get(SPENT)).sum());
    }

    @Override
    public List<Invariant> invariants() {
        return List.of(new EnergyInRange());
    }

    /** Checked over the whole cluster after every tick: each node counts its players out of range. */
    private static final class EnergyInRange implements Invariant {
        @Override
        public String name() {
            return "energy_in_range";
        }

        @Override
        public Map<String, Long> measure(WorldView node) {
            long out = node.players().stream().filter(p -> p.get(ENERGY) < 0 || p.get(ENERGY) > MAX_ENERGY).count();
            return Map.of("out_of_range", out);
        }

        @Override
        public Verdict combine(List<Map<String, Long>> perNode) {
            long out = Invariant.sum(perNode, "out_of_range");
            return out == 0 ? Verdict.HOLDS : new Verdict.Violated(out + " players have energy outside 0.." + MAX_ENERGY);
        }
    }
}
