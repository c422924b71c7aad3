package io.worldmesh.directory;

/** What creating a new player's first owner record found. */
public sealed interface CreateOutcome {

    /** The record was written at epoch 1. */
    record Created(OwnerRecord owner) implements CreateOutcome {
    }

    /** A player with this id already exists; nothing changed. */
    record AlreadyExists(OwnerRecord owner) implements CreateOutcome {
    }
}
