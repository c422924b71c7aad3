package io.worldmesh.testkit;

import io.worldmesh.api.Invariant;
import io.worldmesh.api.Verdict;
import io.worldmesh.engine.InvariantMonitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The game's own invariants after every step, through {@link InvariantMonitor#checkCluster} over each node's
 * {@link CountedCopies}. A violation fails at once. A settling verdict may last the invariant's grace, counted in
 * ticks of virtual time (a step is not a tick); the grace is only enforced in the heal phase, since a game that
 * settles through the directory cannot keep its promise while the directory is slow or loses answers.
 */
final class GameChecks {

    private final InvariantMonitor monitor;
    private final Map<String, Integer> graceTicks = new HashMap<>();
    private final Map<String, Long> settlingSince = new HashMap<>();
    /** Each node's last measures: a step changes one world, so only its node is measured again. */
    private final List<Map<String, Map<String, Long>>> measures = new ArrayList<>();

    GameChecks(List<Invariant> invariants) {
        this.monitor = new InvariantMonitor(invariants);
        invariants.forEach(i -> graceTicks.put(i.name(), i.graceTicks()));
    }

    /**
     * After a step of {@code changed}; {@code all}: which copies count has changed (an arrival raised an epoch),
     * so every node is measured again. Only a {@code settled} cluster is checked: while a node is down or being
     * taken over, part of the game's state is in the directory's last cut and in no world. Each check after such a
     * time is the proof that nothing was duplicated or lost across it.
     */
    void afterStep(List<SimNode> nodes, SimNode changed, boolean all, ToLongFunction<String> highestEpoch, long tick,
                   long healTick, boolean settled) {
        if (graceTicks.isEmpty()) {
            return;
        }
        if (!settled) {
            measures.clear(); // measured afresh once it is: the worlds may be new
            settlingSince.clear();
            monitor.forgetPrevious();
            return;
        }
        for (SimNode n : nodes) {
            if (measures.size() <= n.index()) {
                measures.add(monitor.measure(new CountedCopies(n.world(), highestEpoch)));
            } else if (all || n == changed) {
                measures.set(n.index(), monitor.measure(new CountedCopies(n.world(), highestEpoch)));
            }
        }
        long joined = nodes.stream().mapToLong(n -> n.world().joined()).sum();
        long left = nodes.stream().mapToLong(n -> n.world().left()).sum();
        monitor.checkCluster(tick, measures, joined, left).forEach((name, verdict) -> {
            switch (verdict) {
                case Verdict.Holds h -> settlingSince.remove(name);
                case Verdict.Violated v -> throw new InvariantBroken(Rule.GAME_INVARIANT, name + ": " + v.reason()
                        + "; measured per node: " + perNode(nodes, measures, name));
                case Verdict.Settling s -> {
                    long since = Math.max(healTick, settlingSince.computeIfAbsent(name, k -> tick));
                    if (tick - since > graceTicks.get(name)) {
                        throw new InvariantBroken(Rule.GAME_INVARIANT, name + ": settling for " + (tick - since)
                                + " ticks of the heal phase (grace " + graceTicks.get(name) + "): " + s.reason()
                                + "; measured per node: " + perNode(nodes, measures, name));
                    }
                }
            }
        });
    }

    private static String perNode(List<SimNode> nodes, List<Map<String, Map<String, Long>>> measures, String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(nodes.get(i).id()).append(' ')
                    .append(new java.util.TreeMap<>(measures.get(i).get(name)));
        }
        return out.toString();
    }

    /** Checks counted so far, over all invariants. */
    long checks() {
        return monitor.tallies().values().stream().mapToLong(InvariantMonitor.Tally::checks).sum();
    }
}
