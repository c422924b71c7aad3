package io.worldmesh.directory;

/** The outcome of one handover, recorded once under its token; whatever is recorded is the outcome for everyone. */
public enum Decision {
    COMMIT,
    ABORT
}
