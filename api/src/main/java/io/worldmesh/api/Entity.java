package io.worldmesh.api;

/**
 * Something of a game's own in the world that is not a player: an orb, a flag, a door. Clients draw it from
 * its generic fields, so a new kind needs no client change.
 */
public interface Entity {

    /** Unique in the world for as long as the entity exists. */
    long id();

    /** The game's name for what this is, e.g. {@code "orb"}. */
    String kind();

    double x();

    double z();

    /** A short text clients may draw beside the entity; may be empty. */
    String label();

    /** A CSS colour, e.g. {@code "#f5c542"}. */
    String color();
}
