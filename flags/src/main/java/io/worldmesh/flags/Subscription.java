package io.worldmesh.flags;

/** A registered listener; {@link #cancel()} unregisters it. Cancelling twice does nothing. */
@FunctionalInterface
public interface Subscription {

    Subscription NONE = () -> {
    };

    void cancel();
}
