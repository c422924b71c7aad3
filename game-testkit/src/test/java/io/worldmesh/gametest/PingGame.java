package io.worldmesh.gametest;

import io.worldmesh.api.Action;
import io.worldmesh.api.ActionField;
import io.worldmesh.api.ActionSpec;
import io.worldmesh.api.CellRef;
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
 * A small game to test the testkit with: {@code ping {loud}} counts and answers with an event, {@code spoil}
 * breaks its invariant on purpose, arrivals from another node are counted, and every join is recorded in the
 * cluster state.
 */
final class PingGame implements Game {

    static final Property<Long> PINGS = Property.of("ping.count", Codecs.LONG, 0L);
    static final Property<Long> ARRIVALS = Property.of("ping.arrivals", Codecs.LONG, 0L);
    static final Property<Boolean> SPOILT = Property.of("ping.spoilt", Codecs.BOOLEAN, false);
    static final Property<Long> LATERS = Property.of("ping.laters", Codecs.LONG, 0L);
    static final String LAST_JOIN = "ping.last_join";

    private final boolean spoilable;
    private final boolean greedy;

    private PingGame(boolean spoilable, boolean greedy) {
        this.spoilable = spoilable;
        this.greedy = greedy;
    }

    PingGame() {
        this(true, false);
    }

    /** Without the {@code spoil} action: a game whose invariant holds however it is played. */
    static PingGame gentle() {
        return new PingGame(false, false);
    }

    /** With {@code hoard}, which sets more timers than a player may hold. */
    static PingGame greedy() {
        return new PingGame(true, true);
    }

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public List<Property<?>> playerProperties() {
        return List.of(PINGS, ARRIVALS, SPOILT, LATERS);
    }

    @Override
    public List<ActionSpec> actions() {
        ActionSpec ping = new ActionSpec("ping", Map.of("loud", ActionField.BOOLEAN));
        ActionSpec later = new ActionSpec("later", Map.of("ticks", ActionField.NUMBER));
        List<ActionSpec> out = new java.util.ArrayList<>(List.of(ping, later));
        if (spoilable) {
            out.add(ActionSpec.of("spoil"));
        }
        if (greedy) {
            out.add(ActionSpec.of("hoard"));
        }
        return out;
    }

    @Override
    public void onJoin(GamePlayer player, GameContext ctx) {
        ctx.cluster().read(LAST_JOIN);
    }

    @Override
    public void onClusterState(io.worldmesh.api.ClusterStateReply reply, GameContext ctx) {
        if (reply.op() instanceof io.worldmesh.api.ClusterOp.Read && !ctx.players().isEmpty()) {
            ctx.cluster().compareAndSet(LAST_JOIN, reply.version(), ctx.players().getLast().name());
        }
    }

    @Override
    public void onAction(GamePlayer player, Action action, GameContext ctx) {
        switch (action.name()) {
            case "spoil" -> {
                player.set(SPOILT, true);
                return;
            }
            case "later" -> {
                ctx.after(player, Math.max(1, Math.round((Double) action.fields().get("ticks"))), "later");
                return;
            }
            case "hoard" -> { // more timers than a player may hold
                for (int i = 0; i < 17; i++) {
                    ctx.after(player, 100, "t" + i);
                }
                return;
            }
            default -> { }
        }
        long n = player.get(PINGS) + 1;
        player.set(PINGS, n);
        ctx.send(player, new GameEvent("pong", Map.of("count", n, "loud", action.fields().get("loud"))));
    }

    @Override
    public void onTimer(GamePlayer player, String name, GameContext ctx) {
        player.set(LATERS, player.get(LATERS) + 1);
        ctx.send(player, new GameEvent(name, Map.of("tick", ctx.tick())));
    }

    @Override
    public void onArrive(GamePlayer player, CellRef from, GameContext ctx) {
        player.set(ARRIVALS, player.get(ARRIVALS) + 1);
    }

    @Override
    public void hud(GamePlayer player, HudFields out) {
        out.put("pings", player.get(PINGS));
        out.put("mood", player.get(SPOILT) ? "spoilt" : "fine");
    }

    @Override
    public Map<String, Long> stats(WorldView node) {
        return Map.of("pings", node.players().stream().mapToLong(p -> p.get(PINGS)).sum());
    }

    @Override
    public List<Invariant> invariants() {
        return List.of(new PingsKept(), new Invariant() {
            @Override
            public String name() {
                return "nobody_spoilt";
            }

            @Override
            public Map<String, Long> measure(WorldView node) {
                return Map.of("spoilt", node.players().stream().filter(p -> p.get(SPOILT)).count());
            }

            @Override
            public Verdict combine(List<Map<String, Long>> perNode) {
                long n = Invariant.sum(perNode, "spoilt");
                return n == 0 ? Verdict.HOLDS : new Verdict.Violated(n + " spoilt");
            }
        });
    }

    /** A rule over time: the pings counted over the cluster never go down, unless a player left with some. */
    static final class PingsKept implements Invariant {
        @Override
        public String name() {
            return "pings_kept";
        }

        @Override
        public Map<String, Long> measure(WorldView node) {
            return Map.of("pings", node.players().stream().mapToLong(p -> p.get(PINGS)).sum());
        }

        @Override
        public Verdict combine(List<Map<String, Long>> perNode, Since since) {
            long now = Invariant.sum(perNode, "pings");
            long before = Invariant.sum(since.previous(), "pings");
            return now >= before || since.leaves() > 0 ? Verdict.HOLDS
                    : new Verdict.Violated("pings went from " + before + " to " + now + " and nobody left");
        }
    }
}
