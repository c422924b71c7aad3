package io.worldmesh.api;

import java.util.List;

/**
 * A game's rules. The engine calls these hooks on its simulation thread, one at a time; a hook must not block,
 * start threads or read the wall clock.
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

    /** Invariants that must hold after every tick. */
    default List<Invariant> invariants() {
        return List.of();
    }

    /** Called once before the first tick; spawn the initial entities here. */
    default void start(GameContext ctx) {
    }

    /** A player has joined the world. */
    default void onJoin(GamePlayer player, GameContext ctx) {
    }

    /** A player is leaving the world for good (not a handover); give back what it holds here. */
    default void onLeave(GamePlayer player, GameContext ctx) {
    }

    /** A player sent a declared action, already checked against its {@link ActionSpec}. */
    default void onAction(GamePlayer player, Action action, GameContext ctx) {
    }

    /** A player has moved from one cell to another. */
    default void onCellChange(GamePlayer player, CellRef from, CellRef to, GameContext ctx) {
    }

    /** Once per tick for every cell that has players, after movement. */
    default void onCellTick(CellView cell, GameContext ctx) {
    }

    /** Once per tick, after the cells, for world-wide rules. */
    default void onTick(GameContext ctx) {
    }

    /** The colour clients draw a player in, or null for the engine's own; called every tick, keep it cheap. */
    default String playerColor(GamePlayer player) {
        return null;
    }

    /** Writes the HUD fields of one player; called for every player every tick, so keep it cheap. */
    default void hud(GamePlayer player, HudFields out) {
    }
}
