package io.worldmesh.flags;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.ProviderEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** {@link WorldmeshFlags} evaluated through an OpenFeature client at every call. */
final class OpenFeatureWorldmeshFlags implements WorldmeshFlags {

    private static final Logger log = LoggerFactory.getLogger(OpenFeatureWorldmeshFlags.class);

    private final Client client;
    private final Runnable release;
    private final List<Consumer<BooleanFlagChange>> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<EventDetails> onProviderEvent = this::onProviderEvent;
    private final AtomicBoolean closed = new AtomicBoolean();
    // The value listeners were last told about; guarded by this, since SDK handlers run on a thread pool.
    private boolean lastCrossNodeHandover;

    OpenFeatureWorldmeshFlags(Client client, Runnable release) {
        this.client = Objects.requireNonNull(client, "client");
        this.release = Objects.requireNonNull(release, "release");
        this.lastCrossNodeHandover = crossNodeHandover();
        // READY too: a provider set on the client's domain later may change the value without a change event.
        client.on(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED, onProviderEvent);
        client.on(ProviderEvent.PROVIDER_READY, onProviderEvent);
    }

    @Override
    public boolean crossNodeHandover() {
        return client.getBooleanValue(CROSS_NODE_HANDOVER, CROSS_NODE_HANDOVER_DEFAULT);
    }

    @Override
    public Subscription onCrossNodeHandoverChange(Consumer<BooleanFlagChange> listener) {
        Objects.requireNonNull(listener, "listener");
        // A wrapper per registration, so that the same listener registered twice is cancelled one at a time.
        Consumer<BooleanFlagChange> registration = listener::accept;
        listeners.add(registration);
        return () -> listeners.remove(registration);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                client.removeHandler(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED, onProviderEvent);
                client.removeHandler(ProviderEvent.PROVIDER_READY, onProviderEvent);
            } catch (RuntimeException e) {
                // SDK 1.22.0 throws a NullPointerException when the API was shut down first: nothing is left to remove.
                log.debug("removing the flag change handlers failed; the OpenFeature API was probably shut down", e);
            }
            listeners.clear();
            release.run();
        }
    }

    private void onProviderEvent(EventDetails details) {
        List<String> changed = details.getFlagsChanged();
        // A provider that does not say which flags changed may have changed any of them.
        if (changed != null && !changed.isEmpty() && !changed.contains(CROSS_NODE_HANDOVER)) {
            return;
        }
        synchronized (this) {
            boolean now = crossNodeHandover();
            if (now == lastCrossNodeHandover || closed.get()) {
                return;
            }
            BooleanFlagChange change = new BooleanFlagChange(CROSS_NODE_HANDOVER, lastCrossNodeHandover, now);
            lastCrossNodeHandover = now;
            // Inside the lock, so that listeners see changes in the order they were observed.
            for (Consumer<BooleanFlagChange> listener : listeners) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    log.warn("a listener of {} failed on {}", CROSS_NODE_HANDOVER, change, e);
                }
            }
        }
    }
}
