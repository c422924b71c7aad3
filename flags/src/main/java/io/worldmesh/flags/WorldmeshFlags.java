package io.worldmesh.flags;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Worldmesh's own feature flags, typed. Each accessor evaluates its flag through OpenFeature at every call, so a
 * flip in the flag file shows up at the next call; evaluation reads an in-memory snapshot and is cheap enough to
 * call on every border crossing of every player.
 *
 * <p>{@code cross-node-handover} guards the cross-node handover. When it cannot be resolved (no flag file, the flag
 * is absent, DISABLED, of the wrong type, or the file was never loadable), it is {@value #CROSS_NODE_HANDOVER_DEFAULT}:
 * the feature is on unless an operator turns it off, by setting the flag's {@code defaultVariant} to a variant that
 * is {@code false}.
 */
public interface WorldmeshFlags extends AutoCloseable {

    String CROSS_NODE_HANDOVER = "cross-node-handover";
    boolean CROSS_NODE_HANDOVER_DEFAULT = true;
    /** The OpenFeature domain {@link #fromFile} binds its provider to. */
    String DOMAIN = "worldmesh";

    /** Whether players may be handed over to a cell on another node. */
    boolean crossNodeHandover();

    /**
     * Calls {@code listener} each time {@link #crossNodeHandover()}'s value changes, on an OpenFeature event
     * thread. Changes that revert before the listener runs may be coalesced: the listener sees effective changes,
     * each one's {@code previous} being the last one's {@code current}. A listener that throws is logged and stays
     * registered.
     */
    Subscription onCrossNodeHandoverChange(Consumer<BooleanFlagChange> listener);

    /**
     * Stops change notifications and releases what this instance owns: for {@link #fromFile}, the OpenFeature API
     * instance and its poll thread, after which accessors return their defaults.
     */
    @Override
    void close();

    /**
     * Flags read from a flagd-format file, re-read when it changes (see {@link FlagFileProvider} for the format
     * and bounds). Uses its own isolated OpenFeature API instance rather than the global singleton, so that
     * several instances (and tests) in one JVM do not share providers; the file is loaded before this returns.
     */
    static WorldmeshFlags fromFile(Path file, Duration pollInterval) {
        FlagFileProvider provider = new FlagFileProvider(file, pollInterval);
        // createIsolated() is marked experimental in SDK 1.22.0; the global instance would need a domain per
        // instance and shared shutdown, which is worse.
        OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
        try {
            api.setProviderAndWait(DOMAIN, provider);
            return new OpenFeatureWorldmeshFlags(api.getClient(DOMAIN), api::shutdown);
        } catch (RuntimeException e) {
            api.shutdown();
            throw e;
        }
    }

    /**
     * Flags evaluated through a client the caller configured, e.g. against a real flagd. {@link #close()} only
     * unregisters this instance's event handlers; the caller keeps owning the API and its provider.
     */
    static WorldmeshFlags fromClient(Client client) {
        return new OpenFeatureWorldmeshFlags(client, () -> {
        });
    }

    /** Flags that never change, for tests and for processes without a flag file. */
    static WorldmeshFlags fixed(boolean crossNodeHandover) {
        return new FixedWorldmeshFlags(crossNodeHandover);
    }
}
