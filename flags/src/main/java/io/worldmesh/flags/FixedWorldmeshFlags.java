package io.worldmesh.flags;

import java.util.Objects;
import java.util.function.Consumer;

/** Flags that never change: listeners are accepted and never called. */
record FixedWorldmeshFlags(boolean crossNodeHandover) implements WorldmeshFlags {

    @Override
    public Subscription onCrossNodeHandoverChange(Consumer<BooleanFlagChange> listener) {
        Objects.requireNonNull(listener, "listener");
        return Subscription.NONE;
    }

    @Override
    public void close() {
    }
}
