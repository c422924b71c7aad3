package io.worldmesh.games.tag;

import io.worldmesh.api.CellView;
import io.worldmesh.api.Codecs;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.GameEvent;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.HudFields;
import io.worldmesh.api.Invariant;
import io.worldmesh.api.Property;
import io.worldmesh.api.WorldView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tag: exactly one player is "it"; when "it" touches another player, that player becomes "it". Whoever joins an
 * empty world is "it"; when "it" leaves, another player picked at random becomes "it". Who is "it" is a declared
 * property, so it moves with the player through every handover.
 */
public final class TagGame implements Game {

    public static final Property<Boolean> IT = Property.of("tag.it", Codecs.BOOLEAN, false);
    public static final Property<Long> TIMES_IT = Property.of("tag.times_it", Codecs.LONG, 0L);
    /** Tick before which this player can neither tag nor be tagged. */
    public static final Property<Long> SAFE_UNTIL = Property.of("tag.safe_until", Codecs.LONG, 0L);

    private static final String IT_COLOR = "#ff3b30";

    private final TagSettings settings;
    /** Everyone in the world, in join order; the game's own roster, kept by the join and leave hooks. */
    private final List<GamePlayer> roster = new ArrayList<>();
    private GamePlayer it;

    public TagGame(TagSettings settings) {
        this.settings = settings;
    }

    public TagGame() {
        this(TagSettings.DEFAULTS);
    }

    @Override
    public String name() {
        return "tag";
    }

    @Override
    public List<Property<?>> playerProperties() {
        return List.of(IT, TIMES_IT, SAFE_UNTIL);
    }

    @Override
    public List<Invariant> invariants() {
        return List.of(new ExactlyOneIt());
    }

    @Override
    public void onJoin(GamePlayer player, GameContext ctx) {
        roster.add(player);
        if (it == null) {
            makeIt(player, null, ctx);
        }
    }

    @Override
    public void onLeave(GamePlayer player, GameContext ctx) {
        roster.remove(player);
        if (player == it) {
            player.set(IT, false);
            it = null;
            if (!roster.isEmpty()) {
                makeIt(roster.get(ctx.random().nextInt(roster.size())), null, ctx);
            }
        }
    }

    @Override
    public void onCellTick(CellView cell, GameContext ctx) {
        if (it == null || !it.cell().equals(cell.cell()) || ctx.tick() < it.get(SAFE_UNTIL)) {
            return;
        }
        double r2 = settings.tagRadiusM() * settings.tagRadiusM();
        for (CellView near : cell.neighbourhood()) {
            for (GamePlayer other : near.players()) {
                double dx = other.x() - it.x();
                double dz = other.z() - it.z();
                if (other != it && dx * dx + dz * dz <= r2 && ctx.tick() >= other.get(SAFE_UNTIL)) {
                    GamePlayer tagger = it;
                    tagger.set(IT, false);
                    tagger.set(SAFE_UNTIL, ctx.tick() + settings.safeTicks());
                    makeIt(other, tagger, ctx);
                    return; // one tag per tick: the new "it" is safe for a while anyway
                }
            }
        }
    }

    private void makeIt(GamePlayer player, GamePlayer by, GameContext ctx) {
        player.set(IT, true);
        player.set(TIMES_IT, player.get(TIMES_IT) + 1);
        player.set(SAFE_UNTIL, ctx.tick() + settings.safeTicks());
        it = player;
        ctx.sendInView(player, new GameEvent("tagged",
                Map.of("it", player.id(), "by", by == null ? "" : by.id())));
    }

    @Override
    public String playerColor(GamePlayer player) {
        return player.get(IT) ? IT_COLOR : null;
    }

    @Override
    public void hud(GamePlayer player, HudFields out) {
        out.put("it", player.get(IT) ? "you" : it == null ? "nobody" : it.name());
        out.put("times_it", player.get(TIMES_IT));
    }

    /** Counts the players whose declared property says they are "it", over the whole world. */
    private static final class ExactlyOneIt implements Invariant {
        @Override
        public String name() {
            return "exactly_one_it";
        }

        @Override
        public Optional<String> check(WorldView world) {
            long its = world.players().stream().filter(p -> p.get(IT)).count();
            long expected = world.players().isEmpty() ? 0 : 1;
            return its == expected ? Optional.empty()
                    : Optional.of(its + " players are it among " + world.players().size());
        }
    }
}
