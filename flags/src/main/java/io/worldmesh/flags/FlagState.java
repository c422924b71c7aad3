package io.worldmesh.flags;

/** A flag's {@code state} in a flagd file: a DISABLED flag resolves to the caller's default. */
public enum FlagState {
    ENABLED,
    DISABLED
}
