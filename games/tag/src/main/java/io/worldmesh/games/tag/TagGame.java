package io.worldmesh.games.tag;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.CellView;
import io.worldmesh.api.ClusterOp;
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
import io.worldmesh.api.VersionedValue;
import io.worldmesh.api.WorldView;

import java.util.List;
import java.util.Map;

/**
 * Tag: at most one player is "it", always, and exactly one within {@link #GRACE_TICKS} whenever anyone plays;
 * when "it" touches another player, that player becomes "it". The game keeps nothing in fields, so that it runs
 * the same on every node of a cluster. The cluster state key {@link #IT_KEY} is the single source of truth, and
 * its version is the fencing token:
 *
 * <ul>
 *   <li>the key holds the id of who is "it", or nobody: "" or {@code "-" + id} (that player gave it up by leaving);</li>
 *   <li>a player is "it" ({@link #IT}, a declared property, so it moves with the player through every handover) only
 *       once an answer has named it at a version above its {@link #KNOWN} version, which it carries along: an
 *       answer at or below that version is stale for that player and changes nothing, so a late read never makes
 *       anyone "it" again;</li>
 *   <li>only the node of the player the key names writes from that version: "it" tags (the tagger stops being "it"
 *       at once, the touched player becomes "it" when the key names it) or leaves (the key is handed to another
 *       player of that node, or released to {@code "-" + id}). Anyone may claim a key that names nobody for a
 *       player of its own. Each write is a compare-and-set from the version read, so at most one from a version
 *       takes effect;</li>
 *   <li>the player a write names carries that write in {@link #CLAIM_FROM}, through handovers too, and its node
 *       writes it again whenever an answer shows the key still at that version (a lost or failed write is retried,
 *       never taken as done or refused); a player who leaves with a claim open releases it;</li>
 *   <li>a release is followed up from its answer, which names it: when the key names the player who left (its own
 *       claim landed after all) the release is written again from there; a failed one is written again as it was;</li>
 *   <li>every {@link #RECONCILE_TICKS} ticks a node with players reads the key again; when it names a player of
 *       another node, the node asks to hand the key to one of its own players from that version if that player has
 *       left the game ({@link io.worldmesh.api.ClusterState#compareAndSetIfLeft}): its node may have crashed after
 *       the leave and before the write handing "it" on.</li>
 * </ul>
 */
public final class TagGame implements Game {

    /** The cluster state key naming who is "it". */
    public static final String IT_KEY = "tag.it";
    /** Ticks between two reads of {@link #IT_KEY} by a node with players (1 s at 20 Hz). */
    public static final int RECONCILE_TICKS = 20;
    /**
     * How long the cluster may have players but nobody "it" (2 s at 20 Hz): a tag or a claim takes a round trip to
     * the store, and a player named while it was being handed over is seen by its new node's next read.
     */
    public static final int GRACE_TICKS = 40;

    public static final Property<Boolean> IT = Property.of("tag.it", Codecs.BOOLEAN, false);
    public static final Property<Long> TIMES_IT = Property.of("tag.times_it", Codecs.LONG, 0L);
    /** Tick before which this player can neither tag nor be tagged. */
    public static final Property<Long> SAFE_UNTIL = Property.of("tag.safe_until", Codecs.LONG, 0L);
    /** Who made this player "it" by a tag (or by leaving), "" when a claim did. */
    public static final Property<String> TAGGED_BY = Property.of("tag.tagged_by", Codecs.STRING, "");
    /**
     * The newest version of {@link #IT_KEY} this player's {@link #IT} reflects: while "it", the version that names
     * it. An answer at this version or below is stale for the player.
     */
    public static final Property<Long> KNOWN = Property.of("tag.known", Codecs.LONG, 0L);
    /** The version from which a compare-and-set naming this player was asked for and not yet seen to land; -1: none. */
    public static final Property<Long> CLAIM_FROM = Property.of("tag.claim_from", Codecs.LONG, -1L);

    /** Prefix of a value naming nobody because the player after it left. */
    static final String RELEASED = "-";
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
        return List.of(IT, TIMES_IT, SAFE_UNTIL, TAGGED_BY, KNOWN, CLAIM_FROM);
    }

    @Override
    public List<Invariant> invariants() {
        return List.of(new ExactlyOneIt());
    }

    /** Players "it" on this node, and how many times its players have been "it" in all. */
    @Override
    public Map<String, Long> stats(WorldView node) {
        long its = 0;
        long times = 0;
        for (GamePlayer p : node.players()) {
            its += p.get(IT) ? 1 : 0;
            times += p.get(TIMES_IT);
        }
        return Map.of("players_it", its, "times_it_total", times);
    }

    /** Someone new: perhaps nobody is "it" yet. */
    @Override
    public void onJoin(GamePlayer player, GameContext ctx) {
        ctx.cluster().read(IT_KEY);
    }

    /** A player from another node: perhaps the key names it, or still waits for its claim. */
    @Override
    public void onArrive(GamePlayer player, CellRef from, GameContext ctx) {
        ctx.cluster().read(IT_KEY);
    }

    /**
     * Back from a checkpoint: its "it" may be stale (it tagged someone, or was tagged, after that checkpoint), and two
     * players would be "it" at once. So it is not "it" until an answer names it again: its known version goes one
     * back, so that an answer that still names it at that version makes it "it" once more.
     */
    @Override
    public void onRestore(GamePlayer player, GameContext ctx) {
        if (player.get(IT)) {
            player.set(IT, false);
            player.set(TIMES_IT, player.get(TIMES_IT) - 1); // counted again when an answer makes it "it"
            player.set(KNOWN, player.get(KNOWN) - 1);
        }
        ctx.cluster().read(IT_KEY);
    }

    /**
     * "It" leaving hands the key on to a random player of this node, from the version that names it, or releases
     * it; a player leaving while a write naming it is open releases that write's version.
     */
    @Override
    public void onLeave(GamePlayer player, GameContext ctx) {
        if (player.get(IT)) {
            player.set(IT, false);
            long version = player.get(KNOWN);
            List<? extends GamePlayer> here = ctx.players(); // the leaver is no longer among them
            if (here.isEmpty()) {
                release(player.id(), version, ctx);
            } else {
                claim(here.get(ctx.random().nextInt(here.size())), version, player.id(), ctx);
            }
        } else if (player.get(CLAIM_FROM) >= 0) {
            // Its claim may land yet: the release's answer tells, and the release follows it up.
            release(player.id(), player.get(CLAIM_FROM), ctx);
        } else {
            // The key may name it though it is not "it" here: restored from a checkpoint, or arrived, and gone
            // before the answer that would have made it "it". Released from the newest version this node has seen
            // when that names it, or from nothing when this node has seen none (a node started again): a CONFLICT
            // that names the leaver is followed up from its version, any other changes nothing.
            VersionedValue latest = ctx.cluster().latest(IT_KEY);
            if (player.id().equals(names(latest.value())) || latest.version() == 0) {
                release(player.id(), latest.version(), ctx);
            }
        }
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
                        other.set(SAFE_UNTIL, ctx.tick() + settings.safeTicks());
                        claim(other, tagger.get(KNOWN), tagger.id(), ctx);
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
        if (!IT_KEY.equals(reply.key())) {
            return;
        }
        if (reply.kind() == ClusterStateReply.Kind.FAILED) {
            retry(reply.op(), ctx);
            return;
        }
        if (reply.kind() == ClusterStateReply.Kind.CONFLICT
                && reply.op() instanceof ClusterOp.CompareAndSet c && c.value().startsWith(RELEASED)
                && reply.value().equals(c.value().substring(RELEASED.length()))) {
            // The player who left is named after all (its claim landed after the release was asked for).
            release(reply.value(), reply.version(), ctx);
        }
        align(reply.value(), reply.version(), ctx);
        String named = names(reply.value());
        List<? extends GamePlayer> here = ctx.players();
        if (reply.kind() == ClusterStateReply.Kind.READ && named != null && !here.isEmpty()
                && here.stream().noneMatch(p -> p.id().equals(named))) {
            // The key may name a player who left while the write handing "it" on was lost with its node: nobody
            // else may write from that version, so ask to hand it to one of ours, if that player has indeed left.
            GamePlayer p = here.get(ctx.random().nextInt(here.size()));
            ctx.cluster().compareAndSetIfLeft(IT_KEY, reply.version(), named, p.id());
        }
    }

    /** An operation without an answer: a release or an open claim is written again as it was; a read is asked again. */
    private static void retry(ClusterOp op, GameContext ctx) {
        switch (op) {
            case ClusterOp.Read r -> {
                if (!ctx.players().isEmpty()) {
                    ctx.cluster().read(IT_KEY);
                }
            }
            case ClusterOp.CompareAndSetIfLeft c -> { } // asked again after the next read, if still needed
            case ClusterOp.CompareAndSet c -> {
                boolean open = c.value().startsWith(RELEASED) || ctx.players().stream().anyMatch(p ->
                        p.id().equals(c.value()) && p.get(CLAIM_FROM) == c.expectedVersion());
                if (open) { // safe either way: at most one write from a version takes effect
                    ctx.cluster().compareAndSet(IT_KEY, c.expectedVersion(), c.value());
                }
            }
        }
    }

    /** Makes this node's players agree with the key naming {@code it} at {@code version}; claims it if it names nobody. */
    private void align(String it, long version, GameContext ctx) {
        List<? extends GamePlayer> here = ctx.players();
        boolean newest = true;
        boolean claimOpen = false;
        for (GamePlayer p : here) {
            long known = p.get(KNOWN);
            if (version < known) {
                newest = false; // stale for this player: it has seen a newer version
            } else if (version == known) {
                if (p.get(CLAIM_FROM) == version && !p.id().equals(it)) {
                    claimOpen = true; // the write naming it has not landed (yet): write it again
                    ctx.cluster().compareAndSet(IT_KEY, version, p.id());
                }
            } else {
                p.set(KNOWN, version);
                p.set(CLAIM_FROM, -1L);
                if (p.id().equals(it)) {
                    if (!p.get(IT)) {
                        makeIt(p, ctx);
                    }
                } else if (p.get(IT)) {
                    p.set(IT, false); // the key moved on without this player handing it on
                }
            }
        }
        if (names(it) == null && newest && !claimOpen && !here.isEmpty()) {
            GamePlayer p = here.get(ctx.random().nextInt(here.size()));
            claim(p, version, "", ctx);
        }
    }

    /** Asks to name {@code p} from {@code version}; it becomes "it" when an answer names it. */
    private static void claim(GamePlayer p, long version, String by, GameContext ctx) {
        p.set(CLAIM_FROM, version);
        p.set(KNOWN, Math.max(p.get(KNOWN), version));
        p.set(TAGGED_BY, by);
        ctx.cluster().compareAndSet(IT_KEY, version, p.id());
    }

    /** Asks to name nobody from {@code version}, on behalf of {@code leaver}, who has left. */
    private static void release(String leaver, long version, GameContext ctx) {
        ctx.cluster().compareAndSet(IT_KEY, version, RELEASED + leaver);
    }

    /** The player a value of the key names, or null for nobody. */
    static String names(String value) {
        return value.isEmpty() || value.startsWith(RELEASED) ? null : value;
    }

    private void makeIt(GamePlayer player, GameContext ctx) {
        player.set(IT, true);
        player.set(TIMES_IT, player.get(TIMES_IT) + 1);
        player.set(SAFE_UNTIL, ctx.tick() + settings.safeTicks());
        String by = player.get(TAGGED_BY);
        ctx.sendInView(player, new GameEvent("tagged", Map.of("it", player.id(), "by", by)));
    }

    @Override
    public String playerColor(GamePlayer player) {
        return player.get(IT) ? IT_COLOR : null;
    }

    /** {@code it}: "you", the id of whoever the cluster state last named, or "nobody". */
    @Override
    public void hud(GamePlayer player, HudFields out, ClusterView cluster) {
        String it = names(cluster.latest(IT_KEY).value());
        out.put("it", player.get(IT) ? "you" : it == null ? "nobody" : it);
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
