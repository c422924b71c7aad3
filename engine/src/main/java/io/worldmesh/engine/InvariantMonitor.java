package io.worldmesh.engine;

import io.worldmesh.api.Invariant;
import io.worldmesh.api.Verdict;
import io.worldmesh.api.WorldView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks a game's declared invariants after every tick it is given, over one world or over a whole cluster,
 * counting checks and violations per invariant and keeping the first few violation messages.
 *
 * <p>A cluster check takes every node's {@link #measure measures}: per invariant name, the named counts of
 * {@link Invariant#measure}. They are plain maps of numbers so that nodes can ship them to a checker (as JSON, say);
 * a simulator holding several worlds in one JVM measures each and calls {@link #checkCluster} after every step.
 * A {@link Verdict.Settling} verdict counts as a violation once it has lasted more than the invariant's
 * {@link Invariant#graceTicks()} consecutive checks. Not thread-safe: use it on one thread.
 */
public final class InvariantMonitor implements Consumer<World> {

    /**
     * Counts for one invariant.
     *
     * @param settling  checks whose verdict was settling and still within the grace
     */
    public record Tally(long checks, long violations, long settling) {
    }

    private static final int MAX_MESSAGES = 10;

    private final List<Invariant> invariants;
    private final long[] checks;
    private final long[] violations;
    private final long[] settling;
    /** Consecutive settling verdicts so far, per invariant. */
    private final int[] settlingFor;
    private final List<String> messages = new ArrayList<>();
    /** Per invariant, every node's measures at the last check; null before the first. */
    private List<List<Map<String, Long>>> previous;
    private long lastTick;
    private long lastJoined;
    private long lastLeft;

    public InvariantMonitor(List<Invariant> invariants) {
        this.invariants = List.copyOf(invariants);
        int n = this.invariants.size();
        this.checks = new long[n];
        this.violations = new long[n];
        this.settling = new long[n];
        this.settlingFor = new int[n];
    }

    /** One node's measures: per invariant name (in declaration order), its named counts over {@code node}. */
    public Map<String, Map<String, Long>> measure(WorldView node) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Invariant inv : invariants) {
            out.put(inv.name(), Map.copyOf(inv.measure(node)));
        }
        return out;
    }

    /** Checks one world on its own: a cluster of one node. */
    @Override
    public void accept(World world) {
        checkCluster(world.tick(), List.of(measure(world)), world.joined(), world.left());
    }

    /** Checks the worlds of one JVM together, as one cluster, at the highest of their ticks. */
    public Map<String, Verdict> checkWorlds(List<? extends WorldView> nodes) {
        List<Map<String, Map<String, Long>>> perNode = new ArrayList<>(nodes.size());
        long tick = Long.MIN_VALUE;
        long joined = 0;
        long left = 0;
        for (WorldView node : nodes) {
            perNode.add(measure(node));
            tick = Math.max(tick, node.tick());
            joined += node.joined();
            left += node.left();
        }
        return checkCluster(tick, perNode, joined, left);
    }

    /**
     * Combines every node's measures for each invariant and counts the verdicts.
     *
     * @param perNode  one entry per node, each as {@link #measure} gives it
     * @return each invariant's verdict at this check, before the grace is applied
     * @throws IllegalArgumentException when a node has no measure for a declared invariant
     */
    public Map<String, Verdict> checkCluster(long tick, List<Map<String, Map<String, Long>>> perNode) {
        return checkCluster(tick, perNode, lastJoined, lastLeft);
    }

    /**
     * As {@link #checkCluster(long, List)}, with the cluster's players joined and left so far (the nodes'
     * {@link WorldView#joined} and {@link WorldView#left} summed), for {@link Invariant.Since}.
     */
    public Map<String, Verdict> checkCluster(long tick, List<Map<String, Map<String, Long>>> perNode, long joined,
                                             long left) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        List<List<Map<String, Long>>> now = new ArrayList<>(invariants.size());
        for (int i = 0; i < invariants.size(); i++) {
            Invariant inv = invariants.get(i);
            List<Map<String, Long>> measures = new ArrayList<>(perNode.size());
            for (int n = 0; n < perNode.size(); n++) {
                Map<String, Long> m = perNode.get(n).get(inv.name());
                if (m == null) {
                    throw new IllegalArgumentException("node " + n + " has no measure for invariant " + inv.name());
                }
                measures.add(m);
            }
            Invariant.Since since = previous == null ? Invariant.Since.FIRST
                    : new Invariant.Since(false, tick - lastTick, previous.get(i),
                    Math.max(0, joined - lastJoined), Math.max(0, left - lastLeft)); // a restarted node counts anew
            Verdict verdict = inv.combine(measures, since);
            verdicts.put(inv.name(), verdict);
            count(i, tick, verdict);
            now.add(measures);
        }
        previous = now;
        lastTick = tick;
        lastJoined = joined;
        lastLeft = left;
        return verdicts;
    }

    /** Forgets the previous check: the next one is a first (the worlds checked are new). */
    public void forgetPrevious() {
        previous = null;
    }

    private void count(int i, long tick, Verdict verdict) {
        checks[i]++;
        switch (verdict) {
            case Verdict.Holds h -> settlingFor[i] = 0;
            case Verdict.Violated v -> {
                settlingFor[i] = 0;
                violate(i, tick, v.reason());
            }
            case Verdict.Settling s -> {
                settlingFor[i]++;
                if (settlingFor[i] > invariants.get(i).graceTicks()) {
                    violate(i, tick, "settling for " + settlingFor[i] + " checks (grace "
                            + invariants.get(i).graceTicks() + "): " + s.reason());
                } else {
                    settling[i]++;
                }
            }
        }
    }

    private void violate(int i, long tick, String reason) {
        violations[i]++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add("tick " + tick + " " + invariants.get(i).name() + ": " + reason);
        }
    }

    public Map<String, Tally> tallies() {
        Map<String, Tally> out = new LinkedHashMap<>();
        for (int i = 0; i < invariants.size(); i++) {
            out.put(invariants.get(i).name(), new Tally(checks[i], violations[i], settling[i]));
        }
        return out;
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}
