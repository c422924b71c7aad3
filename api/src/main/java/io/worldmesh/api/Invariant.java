package io.worldmesh.api;

import java.util.List;
import java.util.Map;

/**
 * A property of the whole cluster's world that a game promises, such as "orbs in the world plus orbs held is
 * constant". Each node only sees its own cells, so an invariant is checked in two steps: every node
 * {@link #measure}s named counts over what it holds, and {@link #combine} judges all nodes' measures together.
 * Measures are plain numbers so that they can be shipped between processes. Checkers do this after every tick.
 */
public interface Invariant {

    /** Short stable name, used as a key in reports. */
    String name();

    /**
     * Named counts over one node: its active and frozen players and the entities of its owned cells. Keep it linear
     * in players and entities; it runs every tick.
     */
    Map<String, Long> measure(WorldView node);

    /** The verdict over every node's {@link #measure}, one map per node, in any order. */
    Verdict combine(List<Map<String, Long>> perNode);

    /**
     * How many consecutive checks a {@link Verdict.Settling} verdict may last before it counts as a violation (one
     * check per tick). 0: settling is a violation at once.
     */
    default int graceTicks() {
        return 0;
    }

    /** The sum of one named count over all nodes (absent counts as 0): what most combines start from. */
    static long sum(List<Map<String, Long>> perNode, String count) {
        long total = 0;
        for (Map<String, Long> node : perNode) {
            total += node.getOrDefault(count, 0L);
        }
        return total;
    }
}
