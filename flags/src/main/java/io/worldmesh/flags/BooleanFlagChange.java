package io.worldmesh.flags;

/** A boolean flag's effective value changed, e.g. an operator turned {@code cross-node-handover} off. */
public record BooleanFlagChange(String flagKey, boolean previous, boolean current) {

    public boolean turnedOn() {
        return !previous && current;
    }

    public boolean turnedOff() {
        return previous && !current;
    }
}
