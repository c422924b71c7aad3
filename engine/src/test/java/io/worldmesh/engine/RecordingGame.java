package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.CellView;
import io.worldmesh.api.ClusterStateReply;
import io.worldmesh.api.Codecs;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.HudFields;
import io.worldmesh.api.Property;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A test game that records every hook call and lets a test act from inside the tick. Keeps state in fields. */
final class RecordingGame implements Game {

    static final Property<Long> SCORE = Property.of("rec.score", Codecs.LONG, 0L);
    static final Property<String> NOTE = Property.of("rec.note", Codecs.STRING, "");

    /** Hook calls in order, e.g. {@code "depart p1 to 4,0"}. */
    final List<String> calls = new ArrayList<>();
    final List<ClusterStateReply> replies = new ArrayList<>();
    final List<Long> replyTicks = new ArrayList<>();
    /** Every player id any hook was shown (in a cell view or the context's players). */
    final Set<String> seen = new LinkedHashSet<>();
    /** Runs in onTick, to act from inside the tick. */
    Consumer<GameContext> duringTick = ctx -> { };

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public List<Property<?>> playerProperties() {
        return List.of(SCORE, NOTE);
    }

    @Override
    public void startCell(CellView cell, GameContext ctx) {
        calls.add("startCell " + cell.cell() + " players " + cell.players().size());
    }

    @Override
    public void onJoin(GamePlayer player, GameContext ctx) {
        calls.add("join " + player.id());
    }

    @Override
    public void onLeave(GamePlayer player, GameContext ctx) {
        calls.add("leave " + player.id());
    }

    @Override
    public void onArrive(GamePlayer player, CellRef from, GameContext ctx) {
        calls.add("arrive " + player.id() + " from " + from + " into " + player.cell() + " at " + ctx.tick());
    }

    @Override
    public void onDepart(GamePlayer player, CellRef to, GameContext ctx) {
        calls.add("depart " + player.id() + " to " + to + " score " + player.get(SCORE));
    }

    @Override
    public void onClusterState(ClusterStateReply reply, GameContext ctx) {
        replies.add(reply);
        replyTicks.add(ctx.tick());
    }

    @Override
    public void onCellTick(CellView cell, GameContext ctx) {
        for (CellView near : cell.neighbourhood()) {
            near.players().forEach(p -> seen.add(p.id()));
        }
    }

    @Override
    public void onTick(GameContext ctx) {
        ctx.players().forEach(p -> seen.add(p.id()));
        duringTick.accept(ctx);
    }

    @Override
    public void hud(GamePlayer player, HudFields out) {
        out.put("score", player.get(SCORE));
    }

    List<String> callsStartingWith(String prefix) {
        return calls.stream().filter(c -> c.startsWith(prefix)).toList();
    }
}
