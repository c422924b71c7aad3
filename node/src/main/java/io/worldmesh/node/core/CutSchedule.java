package io.worldmesh.node.core;

import io.worldmesh.directory.CheckpointOutcome;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.NodeCut;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * When a node writes its checkpoint, one consistent cut of its ground and players ({@link NodeCut}), and what waits
 * for one. A cut is due every interval; sooner when a handover's commit waits for it or a player who left waits for
 * its removal. One cut is in flight at a time; the next covers everything that asked meanwhile (coalesced).
 *
 * <p>Why commits wait: a player handed over takes its holdings in the state its commit writes, and those holdings
 * came off this node's ground. Were this node to die with a cut older than that, a failover would restore the ground
 * from before the pickup while the player keeps what it picked up: an orb twice. So a commit goes to the directory
 * only once a cut at or after the game state version of its moment has been written. A node whose game state has
 * not changed since its last cut (only positions moved) commits at once.
 *
 * <p>Bounds: at most {@code maxWaiting} commits wait (a source holds at most its handovers in flight, far fewer) and
 * at most {@code maxRemovals} removals; past either, the oldest removal is given up and counted by the caller, and a
 * commit past the bound goes at once (its cut is then best effort: it is never refused).
 */
final class CutSchedule {

    /** A commit held back until a cut at or after {@code version} is written. */
    record Waiting(HandoverCommit commit, long version) {
    }

    /** After a failed cut, the least wait before the next, so that a directory that is down is not hammered. */
    static final long RETRY_NANOS = 250_000_000L;

    private final long intervalNanos;
    private final int maxWaiting;
    private final int maxRemovals;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final List<NodeCut.Removal> removals = new ArrayList<>();
    private List<NodeCut.Removal> inFlightRemovals = List.of();
    private boolean inFlight;
    private long inFlightVersion;
    /** Every change up to this game state version is in a written cut; -1 before the first. */
    private long covered = -1;
    private long nextAt;
    private long notBefore;

    CutSchedule(long intervalNanos, int maxWaiting, int maxRemovals) {
        this.intervalNanos = intervalNanos;
        this.maxWaiting = maxWaiting;
        this.maxRemovals = maxRemovals;
    }

    /** Whether this node checkpoints at all (a node without a session store does not, and nothing waits). */
    boolean on() {
        return intervalNanos > 0;
    }

    /** True when a cut at {@code version} or later has been written. */
    boolean covers(long version) {
        return covered >= version;
    }

    /** Holds {@code commit} until a cut covers {@code version}; false when the bound is reached (commit it now). */
    boolean hold(HandoverCommit commit, long version) {
        if (waiting.size() >= maxWaiting) {
            return false;
        }
        waiting.addLast(new Waiting(commit, version));
        return true;
    }

    /** Removes the player with the next cut; false when the oldest owed removal had to be given up for it. */
    boolean remove(NodeCut.Removal removal) {
        removals.add(removal);
        if (removals.size() > maxRemovals) {
            removals.removeFirst();
            return false;
        }
        return true;
    }

    boolean due(long now) {
        if (inFlight || now - notBefore < 0) {
            return false;
        }
        return now - nextAt >= 0 || !waiting.isEmpty() || !removals.isEmpty();
    }

    /** A cut of the world at {@code version} is on its way; it carries the returned removals. */
    List<NodeCut.Removal> started(long version, long now) {
        inFlight = true;
        inFlightVersion = version;
        nextAt = now + intervalNanos;
        inFlightRemovals = List.copyOf(removals);
        removals.clear();
        return inFlightRemovals;
    }

    /** The cut's answer; returns the commits it releases, oldest first. */
    List<HandoverCommit> written(CheckpointOutcome outcome) {
        inFlight = false;
        inFlightRemovals = List.of();
        if (outcome.nodeFenced()) {
            return List.of(); // taken over: the directory fences these commits anyway, and the node stops
        }
        covered = Math.max(covered, inFlightVersion);
        List<HandoverCommit> released = new ArrayList<>();
        while (!waiting.isEmpty() && waiting.peekFirst().version() <= covered) {
            released.add(waiting.removeFirst().commit());
        }
        return released;
    }

    /** The cut failed (or its answer was lost): everything it carried goes again with the next. */
    void failed(long now) {
        inFlight = false;
        removals.addAll(0, inFlightRemovals);
        inFlightRemovals = List.of();
        notBefore = now + Math.min(RETRY_NANOS, intervalNanos);
    }

    /** Whether the removal of {@code playerId} at {@code epoch} waits for a cut, or rides one in flight. */
    boolean owes(String playerId, long epoch) {
        NodeCut.Removal removal = new NodeCut.Removal(playerId, epoch);
        return removals.contains(removal) || inFlightRemovals.contains(removal);
    }

    /** Removals owed and not in flight: what a last cut at a clean stop takes along. */
    List<NodeCut.Removal> takeRemovals() {
        List<NodeCut.Removal> owed = List.copyOf(removals);
        removals.clear();
        return owed;
    }

    int waitingCommits() {
        return waiting.size();
    }
}
