package io.worldmesh.games.orbs;

import io.worldmesh.api.Action;
import io.worldmesh.api.ActionSpec;
import io.worldmesh.api.CellRef;
import io.worldmesh.api.CellView;
import io.worldmesh.api.Codecs;
import io.worldmesh.api.Entity;
import io.worldmesh.api.EntitySpec;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.GameEvent;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.HudFields;
import io.worldmesh.api.Invariant;
import io.worldmesh.api.Property;
import io.worldmesh.api.Verdict;
import io.worldmesh.api.WorldBounds;
import io.worldmesh.api.WorldView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Walk over an orb to collect it: the score goes up by the orb's value (golden orbs are worth more) and the orb
 * goes into the inventory. After a while a held orb goes back into the world at a random place of the node's cells,
 * and a leaving player gives back all it holds, so the number of orbs in the world plus in inventories, over the
 * whole cluster, never changes. Held orbs travel with their player through handovers; orbs on the ground never
 * leave their node.
 */
public final class OrbGame implements Game {

    public static final String ORB = "orb";
    public static final String DROP = "drop";
    public static final Property<Long> SCORE = Property.of("orbs.score", Codecs.LONG, 0L);
    public static final Property<List<HeldOrb>> HELD =
            Property.of("orbs.held", Codecs.listOf(HeldOrb.CODEC), List.of());

    /** What collecting an orb adds to the score; an entity property, so it stays with the orb wherever it goes. */
    public static final Property<Long> VALUE = Property.of("orbs.value", Codecs.LONG, 1L);
    /** One orb in this many spawns golden, worth {@link #GOLDEN_VALUE}. */
    private static final int GOLDEN_ONE_IN = 10;
    private static final long GOLDEN_VALUE = 3;
    private static final String ORB_COLOR = "#f5c542";
    private static final String GOLDEN_COLOR = "#ff9f1c";

    private final OrbSettings settings;

    public OrbGame(OrbSettings settings) {
        this.settings = settings;
    }

    public OrbGame() {
        this(OrbSettings.DEFAULTS);
    }

    @Override
    public String name() {
        return "orbs";
    }

    @Override
    public List<Property<?>> playerProperties() {
        return List.of(SCORE, HELD);
    }

    /** {@code drop}: put the oldest held orb back into the world a few steps away. */
    @Override
    public List<ActionSpec> actions() {
        return List.of(ActionSpec.of(DROP));
    }

    @Override
    public void onAction(GamePlayer player, Action action, GameContext ctx) {
        List<HeldOrb> held = player.get(HELD);
        if (!DROP.equals(action.name()) || held.isEmpty()) {
            return;
        }
        player.set(HELD, List.copyOf(held.subList(1, held.size())));
        double angle = ctx.random().nextDouble(2 * Math.PI);
        double away = 2 * settings.pickupRadius() + 1; // out of reach, or the dropper would pick it up again
        spawnOrb(ctx, player.x() + away * Math.cos(angle), player.z() + away * Math.sin(angle));
        ctx.send(player, new GameEvent("dropped", Map.of("held", (long) held.size() - 1)));
    }

    @Override
    public List<Property<?>> entityProperties() {
        return List.of(VALUE);
    }

    @Override
    public List<Invariant> invariants() {
        return List.of(new OrbsConserved());
    }

    /** Orbs on this node's ground and in its players' hands, and its players' scores added up. */
    @Override
    public Map<String, Long> stats(WorldView node) {
        long held = 0;
        long score = 0;
        for (GamePlayer p : node.players()) {
            held += p.get(HELD).size();
            score += p.get(SCORE);
        }
        long onGround = node.entities().stream().filter(e -> ORB.equals(e.kind())).count();
        return Map.of("orbs_on_ground", onGround, "orbs_held", held, "score_total", score);
    }

    @Override
    public void startCell(CellView cell, GameContext ctx) {
        for (int i = 0; i < settings.orbsPerCell(); i++) {
            spawnOrbIn(cell.cell(), ctx);
        }
    }

    /** Orbs in the world plus in inventories over the whole cluster: {@code orbsPerCell} for every cell of the grid. */
    public long totalOrbs(WorldBounds bounds) {
        return (long) settings.orbsPerCell() * bounds.cellsX() * bounds.cellsZ();
    }

    @Override
    public void onLeave(GamePlayer player, GameContext ctx) {
        for (int i = 0; i < player.get(HELD).size(); i++) {
            spawnOrb(ctx);
        }
        player.set(HELD, List.of());
    }

    @Override
    public void onCellTick(CellView cell, GameContext ctx) {
        for (GamePlayer player : cell.players()) {
            releaseDueOrbs(player, ctx);
            collectTouchedOrbs(player, cell, ctx);
        }
    }

    @Override
    public void hud(GamePlayer player, HudFields out) {
        out.put("score", player.get(SCORE));
        out.put("held", player.get(HELD).size());
    }

    private void collectTouchedOrbs(GamePlayer player, CellView cell, GameContext ctx) {
        double r2 = settings.pickupRadius() * settings.pickupRadius();
        List<Entity> touched = null;
        for (CellView near : cell.neighbourhood()) {
            for (Entity e : near.entities()) {
                double dx = e.x() - player.x();
                double dz = e.z() - player.z();
                if (dx * dx + dz * dz <= r2 && ORB.equals(e.kind())) {
                    if (touched == null) {
                        touched = new ArrayList<>(2);
                    }
                    touched.add(e);
                }
            }
        }
        if (touched == null) {
            return;
        }
        List<HeldOrb> held = new ArrayList<>(player.get(HELD));
        long score = player.get(SCORE);
        for (Entity orb : touched) {
            if (ctx.remove(orb)) {
                held.add(new HeldOrb(orb.id(), ctx.tick() + settings.holdTicks()));
                score += orb.get(VALUE);
            }
        }
        player.set(HELD, List.copyOf(held));
        player.set(SCORE, score);
        ctx.send(player, new GameEvent("collected", Map.of("score", score)));
    }

    private void releaseDueOrbs(GamePlayer player, GameContext ctx) {
        List<HeldOrb> held = player.get(HELD);
        if (held.isEmpty() || held.get(0).releaseTick() > ctx.tick()) {
            return; // held in collection order, so the first is the next to fall due
        }
        List<HeldOrb> kept = new ArrayList<>(held.size());
        for (HeldOrb orb : held) {
            if (orb.releaseTick() <= ctx.tick()) {
                spawnOrb(ctx);
            } else {
                kept.add(orb);
            }
        }
        player.set(HELD, List.copyOf(kept));
    }

    /** A new orb at a random point of a random cell this node owns. */
    private void spawnOrb(GameContext ctx) {
        List<CellRef> owned = ctx.ownedCells();
        spawnOrbIn(owned.get(ctx.random().nextInt(owned.size())), ctx);
    }

    private void spawnOrbIn(CellRef cell, GameContext ctx) {
        double size = ctx.bounds().cellSize();
        spawnOrb(ctx, cell.cx() * size + ctx.random().nextDouble(size), cell.cz() * size + ctx.random().nextDouble(size));
    }

    /** An orb at a point; the engine moves a point outside the node's cells (a drop near a border) into them. */
    private void spawnOrb(GameContext ctx, double x, double z) {
        if (ctx.random().nextInt(GOLDEN_ONE_IN) == 0) {
            ctx.spawn(new EntitySpec(ORB, x, z, String.valueOf(GOLDEN_VALUE), GOLDEN_COLOR)).set(VALUE, GOLDEN_VALUE);
        } else {
            ctx.spawn(new EntitySpec(ORB, x, z, "", ORB_COLOR));
        }
    }

    /** Orbs on the ground of each node plus orbs held by its players, against the cluster-wide total. */
    private final class OrbsConserved implements Invariant {
        @Override
        public String name() {
            return "orbs_conserved";
        }

        @Override
        public Map<String, Long> measure(WorldView node) {
            long inWorld = node.entities().stream().filter(e -> ORB.equals(e.kind())).count();
            long held = node.players().stream().mapToLong(p -> p.get(HELD).size()).sum();
            return Map.of("in_world", inWorld, "held", held, "expected", totalOrbs(node.bounds()));
        }

        @Override
        public Verdict combine(List<Map<String, Long>> perNode) {
            long inWorld = Invariant.sum(perNode, "in_world");
            long held = Invariant.sum(perNode, "held");
            long expected = perNode.stream().mapToLong(m -> m.getOrDefault("expected", 0L)).max().orElse(0);
            if (inWorld + held == expected) {
                return Verdict.HOLDS;
            }
            return new Verdict.Violated("orbs in world " + inWorld + " + held " + held + " != " + expected);
        }
    }
}
