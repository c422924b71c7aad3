package io.worldmesh.engine;

import io.worldmesh.api.ClusterOp;
import io.worldmesh.api.ClusterStateReply;
import io.worldmesh.api.VersionedValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The cluster-wide state in memory, for one process: runs drained {@link ClusterOp}s in order, as a linearizable
 * store would. Several worlds in one JVM can share one instance, as the nodes of a cluster share the directory.
 * Single-threaded like the worlds it serves.
 */
public final class LocalClusterState {

    private final Map<String, VersionedValue> values = new HashMap<>();
    private final Predicate<String> hasLeft;

    /** {@code hasLeft}: whether a player has left the game for good, for {@link ClusterOp.CompareAndSetIfLeft}. */
    public LocalClusterState(Predicate<String> hasLeft) {
        this.hasLeft = hasLeft;
    }

    /** A store that knows of no player having left: every {@link ClusterOp.CompareAndSetIfLeft} conflicts. */
    public LocalClusterState() {
        this(id -> false);
    }

    /** The value and version of {@code key} now; {@link VersionedValue#NONE} when absent. */
    public VersionedValue get(String key) {
        return values.getOrDefault(key, VersionedValue.NONE);
    }

    public ClusterStateReply execute(ClusterOp op) {
        VersionedValue current = get(op.key());
        return switch (op) {
            case ClusterOp.Read r -> ClusterStateReply.read(r, current);
            case ClusterOp.CompareAndSet c -> compareAndSet(c, c.expectedVersion(), c.value(), current);
            case ClusterOp.CompareAndSetIfLeft c -> hasLeft.test(c.leaver())
                    ? compareAndSet(c, c.expectedVersion(), c.value(), current)
                    : ClusterStateReply.conflict(c, current);
        };
    }

    private ClusterStateReply compareAndSet(ClusterOp op, long expectedVersion, String value, VersionedValue current) {
        if (expectedVersion != current.version()) {
            return ClusterStateReply.conflict(op, current);
        }
        VersionedValue next = new VersionedValue(value, current.version() + 1);
        values.put(op.key(), next);
        return ClusterStateReply.swapped(op, next);
    }

    public List<ClusterStateReply> execute(List<ClusterOp> ops) {
        List<ClusterStateReply> out = new ArrayList<>(ops.size());
        for (ClusterOp op : ops) {
            out.add(execute(op));
        }
        return out;
    }

    /** Drains {@code world}'s operations, runs them and delivers the replies, which its next step passes on. */
    public void serve(World world) {
        for (ClusterStateReply reply : execute(world.drainClusterOps())) {
            world.deliverClusterState(reply);
        }
    }
}
