package io.worldmesh.engine;

import io.worldmesh.api.ClusterOp;
import io.worldmesh.api.ClusterState;
import io.worldmesh.api.ClusterStateReply;
import io.worldmesh.api.VersionedValue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The world's side of the cluster-wide state: the operations games asked for, waiting for the driver to drain
 * them; the replies the driver delivered, waiting for the next tick; and the newest version passed on per key,
 * below which replies are dropped. Both queues are bounded: past the bound the caller gets an
 * {@link IllegalStateException} naming it, rather than memory growing without end.
 */
final class ClusterStateQueue implements ClusterState {

    /** Replies waiting for the next tick; more than a driver can owe for one drain, with room for a slow tick. */
    static final int MAX_PENDING_REPLIES = 4 * MAX_PENDING_OPS;

    private final List<ClusterOp> ops = new ArrayList<>();
    private final ArrayDeque<ClusterStateReply> replies = new ArrayDeque<>();
    private final Map<String, VersionedValue> latest = new HashMap<>();

    @Override
    public void read(String key) {
        queue(new ClusterOp.Read(key));
    }

    @Override
    public void compareAndSet(String key, long expectedVersion, String value) {
        queue(new ClusterOp.CompareAndSet(key, expectedVersion, value));
    }

    @Override
    public void compareAndSetIfLeft(String key, long expectedVersion, String leaver, String value) {
        queue(new ClusterOp.CompareAndSetIfLeft(key, expectedVersion, leaver, value));
    }

    @Override
    public VersionedValue latest(String key) {
        return latest.getOrDefault(Objects.requireNonNull(key, "key"), VersionedValue.NONE);
    }

    private void queue(ClusterOp op) {
        if (ops.size() >= MAX_PENDING_OPS) {
            throw new IllegalStateException("more than " + MAX_PENDING_OPS
                    + " cluster state operations in one tick (ClusterState.MAX_PENDING_OPS); " + op + " refused");
        }
        ops.add(op);
    }

    List<ClusterOp> drain() {
        List<ClusterOp> out = List.copyOf(ops);
        ops.clear();
        return out;
    }

    void deliver(ClusterStateReply reply) {
        Objects.requireNonNull(reply, "reply");
        if (replies.size() >= MAX_PENDING_REPLIES) {
            throw new IllegalStateException("more than " + MAX_PENDING_REPLIES
                    + " cluster state replies wait for the next tick; " + reply + " refused");
        }
        replies.add(reply);
    }

    /**
     * Hands every waiting reply to {@code game} in arrival order, except those whose version is below the newest
     * already passed on for their key: a late read must not undo a newer write. A {@code FAILED} reply brings
     * nothing new: it is always passed on, with the newest value already passed on. Returns how many were dropped.
     */
    int passOn(Consumer<ClusterStateReply> game) {
        int dropped = 0;
        ClusterStateReply r;
        while ((r = replies.poll()) != null) {
            if (r.kind() == ClusterStateReply.Kind.FAILED) {
                game.accept(ClusterStateReply.failed(r.op(), latest(r.key())));
                continue;
            }
            VersionedValue known = latest.get(r.key());
            if (known != null && r.version() < known.version()) {
                dropped++;
                continue;
            }
            latest.put(r.key(), r.versioned());
            game.accept(r);
        }
        return dropped;
    }
}
