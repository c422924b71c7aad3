package io.worldmesh.games.tag;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.CellView;
import io.worldmesh.api.ClusterStateReply;
import io.worldmesh.api.ClusterView;
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
 * Tag: at most one player is "it", always, and exactly one within {@link #GRACE_TICKS} whenever anyone plays;
 * when "it" touches another player, that player becomes "it". The game keeps nothing in fields, so that it runs
 * the same on every node of a cluster:
 *
 * <ul>
 *   <li>each player's {@link #IT} is a declared property, so it moves with the player through every handover;</li>
 *   <li>who is "it" cluster-wide is the cluster state key {@link #IT_KEY}: that player's id, or "" for nobody. Only
 *       the node of the current "it" changes a named value (by tagging, or when "it" leaves); any node may claim
 *       an empty one for a player of its own, by compare-and-set, and that player becomes "it" when the swap
 *       is confirmed;</li>
 *   <li>every answer about the key realigns this node's players with it (the named one is "it", no one else is),
 *       and every {@link #RECONCILE_TICKS} ticks the node asks again.</li>
 * </ul>
 *
 * A tag is local to a node (touch within the radius, in the node's cells) and takes effect at once; its
 * compare-and-set follows. An answer that still names the tagger while the player it tagged is "it" here is only
 * behind: the game writes the tag again from the version the answer brings instead of undoing it.
 */
public final class TagGame implements Game {

    /** The cluster state key naming who is "it". */
    public static final String IT_KEY = "tag.it";
    /** Ticks between two reads of {@link #IT_KEY} by a node with players (1 s at 20 Hz). */
    public static final int RECONCILE_TICKS = 20;
    /**
     * How long the cluster may have players but nobody "it" (2 s at 20 Hz): a claim takes a round trip to the
     * store, and a player named while it was being handed over is seen by its new node's next read.
     */
    public static final int GRACE_TICKS = 40;

    public static final Property<Boolean> IT = Property.of("tag.it", Codecs.BOOLEAN, false);
    public static final Property<Long> TIMES_IT = Property.of("tag.times_it", Codecs.LONG, 0L);
    /** Tick before which this player can neither tag nor be tagged. */
    public static final Property<Long> SAFE_UNTIL = Property.of("tag.safe_until", Codecs.LONG, 0L);
    /** Who made this player "it" by a tag (or by leaving), "" when the cluster state did. */
    public static final Property<String> TAGGED_BY = Property.of("tag.tagged_by", Codecs.STRING, "");

    private static final String IT_COLOR = "#ff3b30";

    private final TagSettings settings;

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
        return List.of(IT, TIMES_IT, SAFE_UNTIL, TAGGED_BY);
    }

    @Override
    public List<Invariant> invariants() {
        return List.of(new ExactlyOneIt());
    }

    /** Someone new: perhaps nobody is "it" yet. */
    @Override
    public void onJoin(GamePlayer player, GameContext ctx) {
        ctx.cluster().read(IT_KEY);
    }

    /** A player from another node: learn the current version, so that a tag made here writes from it. */
    @Override
    public void onArrive(GamePlayer player, CellRef from, GameContext ctx) {
        ctx.cluster().read(IT_KEY);
    }

    /** "It" leaving hands it on at once to a random player of this node, as a tag would, or to nobody. */
    @Override
    public void onLeave(GamePlayer player, GameContext ctx) {
        if (!player.get(IT)) {
            return;
        }
        player.set(IT, false);
        List<? extends GamePlayer> here = ctx.players(); // the leaver is no longer among them
        GamePlayer next = here.isEmpty() ? null : here.get(ctx.random().nextInt(here.size()));
        if (next != null) {
            makeIt(next, player, ctx);
        }
        ctx.cluster().compareAndSet(IT_KEY, ctx.cluster().latest(IT_KEY).version(), next == null ? "" : next.id());
    }

    @Override
    public void onCellTick(CellView cell, GameContext ctx) {
        double r2 = settings.tagRadiusM() * settings.tagRadiusM();
        for (GamePlayer tagger : cell.players()) {
            if (!tagger.get(IT) || ctx.tick() < tagger.get(SAFE_UNTIL)) {
                continue;
            }
            for (CellView near : cell.neighbourhood()) {
                for (GamePlayer other : near.players()) {
                    double dx = other.x() - tagger.x();
                    double dz = other.z() - tagger.z();
                    if (other != tagger && dx * dx + dz * dz <= r2 && ctx.tick() >= other.get(SAFE_UNTIL)) {
                        tagger.set(IT, false);
                        tagger.set(SAFE_UNTIL, ctx.tick() + settings.safeTicks());
                        makeIt(other, tagger, ctx);
                        ctx.cluster().compareAndSet(IT_KEY, ctx.cluster().latest(IT_KEY).version(), other.id());
                        return; // one tag per cell and tick: the new "it" is safe for a while anyway
                    }
                }
            }
        }
    }

    @Override
    public void onTick(GameContext ctx) {
        if (ctx.tick() % RECONCILE_TICKS == 0 && !ctx.players().isEmpty()) {
            ctx.cluster().read(IT_KEY);
        }
    }

    @Override
    public void onClusterState(ClusterStateReply reply, GameContext ctx) {
        if (IT_KEY.equals(reply.key())) {
            align(reply.value(), reply.version(), ctx);
        }
    }

    /** Makes this node's players agree with the cluster's {@code it} at {@code version}; claims an empty one. */
    private void align(String it, long version, GameContext ctx) {
        List<? extends GamePlayer> here = ctx.players();
        if (!it.isEmpty()) {
            for (GamePlayer p : here) {
                if (p.get(IT) && !p.id().equals(it) && p.get(TAGGED_BY).equals(it)) {
                    // The store still names the tagger: it is behind a tag, not ahead of it.
                    ctx.cluster().compareAndSet(IT_KEY, version, p.id());
                    return;
                }
            }
        }
        for (GamePlayer p : here) {
            boolean named = p.id().equals(it);
            if (named && !p.get(IT)) {
                makeIt(p, null, ctx);
            } else if (!named && p.get(IT)) {
                p.set(IT, false);
            }
        }
        if (it.isEmpty() && !here.isEmpty()) {
            ctx.cluster().compareAndSet(IT_KEY, version, here.get(ctx.random().nextInt(here.size())).id());
        }
    }

    private void makeIt(GamePlayer player, GamePlayer by, GameContext ctx) {
        player.set(IT, true);
        player.set(TIMES_IT, player.get(TIMES_IT) + 1);
        player.set(SAFE_UNTIL, ctx.tick() + settings.safeTicks());
        player.set(TAGGED_BY, by == null ? "" : by.id());
        ctx.sendInView(player, new GameEvent("tagged", Map.of("it", player.id(), "by", by == null ? "" : by.id())));
    }

    @Override
    public String playerColor(GamePlayer player) {
        return player.get(IT) ? IT_COLOR : null;
    }

    /** {@code it}: "you", the id of whoever the cluster state last named, or "nobody". */
    @Override
    public void hud(GamePlayer player, HudFields out, ClusterView cluster) {
        String it = cluster.latest(IT_KEY).value();
        out.put("it", player.get(IT) ? "you" : it.isEmpty() ? "nobody" : it);
        out.put("times_it", player.get(TIMES_IT));
    }

    /** At most one "it" over the cluster, always; exactly one within the grace whenever there are players. */
    private static final class ExactlyOneIt implements Invariant {
        @Override
        public String name() {
            return "exactly_one_it";
        }

        @Override
        public Map<String, Long> measure(WorldView node) {
            long its = node.players().stream().filter(p -> p.get(IT)).count();
            return Map.of("its", its, "players", (long) node.players().size());
        }

        @Override
        public Verdict combine(List<Map<String, Long>> perNode) {
            long its = Invariant.sum(perNode, "its");
            long players = Invariant.sum(perNode, "players");
            if (its > 1) {
                return new Verdict.Violated(its + " players are it among " + players);
            }
            if (its == 0 && players > 0) {
                return new Verdict.Settling("nobody is it among " + players + " players");
            }
            return Verdict.HOLDS;
        }

        @Override
        public int graceTicks() {
            return GRACE_TICKS;
        }
    }
}
