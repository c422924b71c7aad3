package io.worldmesh.api;

/**
 * State shared by every node of the cluster, as versioned strings under keys (e.g. tag's {@code tag.it}). Both
 * operations are asynchronous: the engine queues them and the node's driver runs them against the cluster's
 * store after the tick; each answer reaches {@link Game#onClusterState} at the start of a later tick, never in
 * the tick that asked, in the order they arrive (which need not be the order asked). Answers older than one already
 * passed on for the same key are dropped, so a game never sees a key's version go back. Every operation gets one
 * answer, which names it ({@link ClusterStateReply#op()}): when the store does not answer, that answer is a
 * {@link ClusterStateReply.Kind#FAILED}, which says nothing about whether the operation took effect (and is never
 * dropped).
 *
 * <p>At most {@link #MAX_PENDING_OPS} operations wait between two drains by the driver (one tick); past that
 * both methods throw {@link IllegalStateException}.
 */
public interface ClusterState extends ClusterView {

    /** The most operations that may wait to be run between two drains by the driver, i.e. in one tick. */
    int MAX_PENDING_OPS = 1024;

    /** Asks for the current value and version of {@code key}; answered with a {@link ClusterStateReply.Kind#READ}. */
    void read(String key);

    /**
     * Sets {@code key} to {@code value} if its version is still {@code expectedVersion} (0: the key is absent).
     * Answered with {@link ClusterStateReply.Kind#SWAPPED} and the new version, or with
     * {@link ClusterStateReply.Kind#CONFLICT} and the value and version that are there instead, or with
     * {@link ClusterStateReply.Kind#FAILED} when the store did not answer and the write may or may not have happened.
     * Retrying it as it was is safe: at most one write from a version ever takes effect.
     */
    void compareAndSet(String key, long expectedVersion, String value);

    /**
     * As {@link #compareAndSet}, and only if player {@code leaver} has left the game for good: for a value naming a
     * player who left without the game hearing of it (its node crashed between the leave and the write that should
     * have followed it). Answered with {@link ClusterStateReply.Kind#SWAPPED}, or {@link ClusterStateReply.Kind#CONFLICT}
     * when the version moved on or the player is still in the game (anywhere in the cluster, frozen for a handover
     * included), or {@link ClusterStateReply.Kind#FAILED}. Safe to ask from every node at once: at most one write from
     * a version takes effect, and a player who has left never comes back.
     */
    void compareAndSetIfLeft(String key, long expectedVersion, String leaver, String value);
}
