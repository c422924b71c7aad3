package io.worldmesh.node.core;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A node's life, with the transitions allowed between states; an illegal one throws. Only RUNNING takes new
 * players and new handovers; DRAINING finishes the handovers in flight; FENCED (a lost lease, next to come) stops
 * simulating and accepts nothing.
 */
public enum NodeLifecycle {
    STARTING, RECONCILING, RUNNING, DRAINING, FENCED, STOPPED;

    private static final Map<NodeLifecycle, Set<NodeLifecycle>> NEXT = Map.of(
            STARTING, EnumSet.of(RECONCILING, STOPPED),
            RECONCILING, EnumSet.of(RUNNING, FENCED, STOPPED),
            RUNNING, EnumSet.of(DRAINING, FENCED, STOPPED),
            DRAINING, EnumSet.of(STOPPED, FENCED),
            FENCED, EnumSet.of(RECONCILING, STOPPED),
            STOPPED, EnumSet.noneOf(NodeLifecycle.class));

    public boolean canMoveTo(NodeLifecycle next) {
        return NEXT.get(this).contains(next);
    }

    public NodeLifecycle moveTo(NodeLifecycle next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a node cannot go from " + this + " to " + next);
        }
        return next;
    }
}
