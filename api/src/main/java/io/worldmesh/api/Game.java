package io.worldmesh.api;

import java.util.List;

/**
 * A game's rules. The engine calls these hooks on its simulation thread, one at a time; a hook must not block,
 * start threads or read the wall clock.
 *
 * <p>In a cluster every node runs its own instance of the game over the cells it owns, so a game keeps no state in
 * fields: per-player state lives in declared properties, world-wide state in {@link GameContext#cluster()}. Hooks
 * see only the node's active players: a player frozen for a handover to another node is invisible to them.
 */
public interface Game {

    /** The game's name, as chosen on the command line (e.g. {@code orbs}). */
    String name();

    /** The properties that make up a player's session data, in a fixed order. */
    List<Property<?>> playerProperties();

    /** The properties every entity of this game carries, in a fixed order; none by default. */
    default List<Property<?>> entityProperties() {
        return List.of();
    }

    /** The actions clients may send besides movement; anything else is refused before the game sees it. */
    default List<ActionSpec> actions() {
        return List.of();
    }

    /** Invariants that must hold across the cluster after every tick. */
    default List<Invariant> invariants() {
        return List.of();
    }

    /**
     * The game's own figures for reports, as named counts over what one node holds (its players, frozen ones
     * included, and its cells' entities), such as orbs held or players "it". Reports add them up over the cluster's
     * nodes: the demo's and the cluster's {@code --json} show the sums under {@code "game"}. Called when a report is
     * made, not every tick; none by default.
     */
    default java.util.Map<String, Long> stats(WorldView node) {
        return java.util.Map.of();
    }

    /** Called once for every cell this node owns, before the first tick; spawn that cell's initial entities here. */
    default void startCell(CellView cell, GameContext ctx) {
    }

    /** A new player has joined the world, on this node. */
    default void onJoin(GamePlayer player, GameContext ctx) {
    }

    /** A player is leaving the game for good (not a handover); give back what it holds here. */
    default void onLeave(GamePlayer player, GameContext ctx) {
    }

    /**
     * A player handed over from another node has arrived here, into {@code player.cell()}, with its properties as
     * they were on the source. Not called when a handover aborts.
     */
    default void onArrive(GamePlayer player, CellRef from, GameContext ctx) {
    }

    /**
     * A player has been put back from its last checkpoint, on this node, after the node that had it died: its
     * properties are as they were at that checkpoint, so whatever it did since is undone, and what the game keeps
     * in the {@link ClusterState} may have moved on meanwhile (another player named there, say). Check such
     * properties against the cluster state before the player acts on them. By default, as {@link #onArrive} from
     * its own cell.
     */
    default void onRestore(GamePlayer player, GameContext ctx) {
        onArrive(player, player.cell(), ctx);
    }

    /**
     * A player has been handed over to the node that owns {@code to} and is about to leave this node (it did not
     * leave the game: {@link #onLeave} is not called). The player is frozen: read it, but its properties cannot
     * change. Not called when a handover aborts.
     */
    default void onDepart(GamePlayer player, CellRef to, GameContext ctx) {
    }

    /** A player sent a declared action, already checked against its {@link ActionSpec}. */
    default void onAction(GamePlayer player, Action action, GameContext ctx) {
    }

    /**
     * A timer set with {@link GameContext#after} has fallen due, on the node that has the player now. Called after
     * movement and before {@link #onCellTick}, players in the order they came, each player's timers in the order
     * they fall due. A frozen player's timers wait for its arrival on the next node.
     */
    default void onTimer(GamePlayer player, String name, GameContext ctx) {
    }

    /** A player has moved from one cell of this node to another. */
    default void onCellChange(GamePlayer player, CellRef from, CellRef to, GameContext ctx) {
    }

    /**
     * The answer to a {@link ClusterState} operation asked for in an earlier tick; called at the start of a tick,
     * before movement, in the order the answers arrived. Answers older than one already passed on for the same key
     * are dropped before they get here (never a {@link ClusterStateReply.Kind#FAILED} one). The reply names the
     * operation it answers.
     */
    default void onClusterState(ClusterStateReply reply, GameContext ctx) {
    }

    /** Once per tick for every owned cell that has active players, after movement. */
    default void onCellTick(CellView cell, GameContext ctx) {
    }

    /** Once per tick, after the cells, for rules over the whole node. */
    default void onTick(GameContext ctx) {
    }

    /** The colour clients draw a player in, or null for the engine's own; called every tick, keep it cheap. */
    default String playerColor(GamePlayer player) {
        return null;
    }

    /**
     * The colour with the tick, the grid and the cluster-wide state at hand (a colour that blinks, or that shows
     * who the store names); by default {@link #playerColor(GamePlayer)}. The engine calls this one.
     */
    default String playerColor(GamePlayer player, ViewContext view) {
        return playerColor(player);
    }

    /** Writes the HUD fields of one player; called for every player every tick, so keep it cheap. */
    default void hud(GamePlayer player, HudFields out) {
    }

    /**
     * The HUD with the cluster-wide state at hand, for games that show it; by default {@link #hud(GamePlayer,
     * HudFields)}. Read {@link ClusterView#latest} only. The field name {@code border} is the engine's.
     */
    default void hud(GamePlayer player, HudFields out, ClusterView cluster) {
        hud(player, out);
    }

    /**
     * The HUD with the tick, the grid and the cluster-wide state at hand (a countdown, say); by default
     * {@link #hud(GamePlayer, HudFields, ClusterView)}. The engine calls this one.
     */
    default void hud(GamePlayer player, HudFields out, ViewContext view) {
        hud(player, out, view.cluster());
    }
}
