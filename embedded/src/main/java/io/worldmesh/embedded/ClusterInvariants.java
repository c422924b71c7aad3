package io.worldmesh.embedded;

import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.node.core.NodeCore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checks a game's invariants over an in-process cluster. With one node, after every tick on its thread. Across
 * nodes, at quiet moments: every node is measured, and the measures count only if no node had a handover in
 * flight and no node's handover counters moved while they were taken (a player that moved between two nodes'
 * measures would count twice or not at all). Thread-safe.
 */
public final class ClusterInvariants {

    private record NodeMeasure(Map<String, Map<String, Long>> measure, long tick, int inFlight, long moves,
                               long joined, long left) {
    }

    private final InvariantMonitor monitor;
    private ScheduledExecutorService checker;
    private long skipped;

    ClusterInvariants(InvariantMonitor monitor) {
        this.monitor = monitor;
    }

    synchronized void checkAlone(NodeCore core) {
        monitor.accept(core.world());
    }

    void checkQuietly(List<EmbeddedWorld.EmbeddedNode> nodes) {
        checker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("invariants")
                .unstarted(r));
        checker.scheduleWithFixedDelay(() -> {
            try {
                checkOnce(nodes);
            } catch (RuntimeException e) {
                // a node closing under us; the next round or close() settles it
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
    }

    private void checkOnce(List<EmbeddedWorld.EmbeddedNode> nodes) {
        List<NodeMeasure> first = new ArrayList<>();
        for (EmbeddedWorld.EmbeddedNode n : nodes) {
            first.add(n.inspectCore(c -> new NodeMeasure(monitor.measure(c.world()), c.world().tick(),
                    c.handoversInFlight(), moves(c), c.world().joined(), c.world().left()))
                    .orTimeout(5, TimeUnit.SECONDS).join());
        }
        boolean quiet = first.stream().allMatch(m -> m.inFlight() == 0);
        for (int i = 0; quiet && i < nodes.size(); i++) {
            long moves = nodes.get(i).inspectCore(ClusterInvariants::moves).orTimeout(5, TimeUnit.SECONDS).join();
            quiet = moves == first.get(i).moves();
        }
        synchronized (this) {
            if (!quiet) {
                skipped++;
                return;
            }
            long tick = first.stream().mapToLong(NodeMeasure::tick).max().orElse(0);
            monitor.checkCluster(tick, first.stream().map(NodeMeasure::measure).toList(),
                    first.stream().mapToLong(NodeMeasure::joined).sum(), first.stream().mapToLong(NodeMeasure::left).sum());
        }
    }

    private static long moves(NodeCore c) {
        return c.counters().handoversStarted() + c.counters().arrived() + c.counters().departed()
                + c.counters().joins() + c.world().stats().leaves();
    }

    public synchronized Map<String, InvariantMonitor.Tally> tallies() {
        return monitor.tallies();
    }

    public synchronized List<String> messages() {
        return monitor.messages();
    }

    /** Cluster checks left out because a handover was in flight or players moved while measuring. */
    public synchronized long skipped() {
        return skipped;
    }

    void stop() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }
}
