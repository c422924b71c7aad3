package io.worldmesh.api;

/** What a game may read of the cluster-wide state at any time, even where it may not ask for more (the HUD). */
public interface ClusterView {

    /**
     * The newest value this node has passed on to the game for {@code key} (through
     * {@link Game#onClusterState}), or {@link VersionedValue#NONE} before any. It may be behind the store.
     */
    VersionedValue latest(String key);
}
