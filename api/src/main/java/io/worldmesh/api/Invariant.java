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

    /**
     * The verdict over every node's {@link #measure}, one map per node, in any order. Override this one, or
     * {@link #combine(List, Since)} for a rule over time.
     */
    default Verdict combine(List<Map<String, Long>> perNode) {
        throw new UnsupportedOperationException("invariant " + name()
                + " overrides neither combine(perNode) nor combine(perNode, since)");
    }

    /**
     * The verdict knowing the previous check: for rules over time, such as "the total score never goes down" or
     * "no more orbs are held than before, plus one per player who joined". Checkers call this one; by default it
     * is {@link #combine(List)}.
     */
    default Verdict combine(List<Map<String, Long>> perNode, Since since) {
        return combine(perNode);
    }

    /**
     * What happened between an invariant's previous check and this one. Checks may be several ticks apart (in a
     * cluster they are made at quiet moments), so compare with {@code previous}, not with "one tick ago".
     *
     * @param first     true at the first check: there is no previous one ({@code previous} is empty, counts 0)
     * @param ticks     ticks since the previous check
     * @param previous  every node's measures at the previous check, in any order
     * @param joins     players who joined the game since, over the cluster (handovers are not joins)
     * @param leaves    players who left the game for good since, over the cluster. Nodes count both from their
     *                  start: across a node's restart the two are lower bounds
     */
    record Since(boolean first, long ticks, List<Map<String, Long>> previous, long joins, long leaves) {

        public static final Since FIRST = new Since(true, 0, List.of(), 0, 0);

        public Since {
            previous = List.copyOf(previous);
        }
    }

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
