package io.worldmesh.api;

/** The type of one field of a game {@link Action}. */
public enum ActionField {
    /** A string of at most 256 characters. */
    STRING,
    /** A finite number, delivered as a {@code Double}. */
    NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN
}
