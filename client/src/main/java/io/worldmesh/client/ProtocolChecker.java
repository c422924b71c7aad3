package io.worldmesh.client;

import io.worldmesh.protocol.client.ServerMessage;
import org.HdrHistogram.Histogram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks, from the client's side, what the server promises: every input applied exactly once and in order,
 * ticks increasing, no gap between snapshots longer than a bound. Plain code fed with messages and times; one
 * instance per connection, used from one thread.
 */
public final class ProtocolChecker {

    /** One broken promise, with when it was seen. */
    public record Violation(String kind, String detail, long tick) {
    }

    private static final int MAX_RECORDED = 20;

    private final long maxGapNanos;
    private final Histogram inputLatency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    private final ArrayDeque<long[]> unacked = new ArrayDeque<>(); // {seq, sentAtNanos}
    private final List<Violation> violations = new ArrayList<>();
    private long violationCount;
    private final java.util.TreeMap<String, Long> violationsByKind = new java.util.TreeMap<>();
    private long baseSeq;
    private long baseApplied = -1;
    private long lastSent;
    private long inputsSent;
    private long lastTick = -1;
    private long lastAck;
    private long lastApplied;
    private long lastSnapshotAt;
    private long snapshots;
    private long maxGapSeen;
    private long duplicated;
    private long skipped;
    private long errors;
    private long cellChanges;
    /** The player's cell as the messages so far place it. */
    private boolean cellKnown;
    private int cx;
    private int cz;
    private long gameEvents;
    private long recoveries;
    private long ticksLost;
    private long inputsRolledBack;
    private long maxRollbackTicks;
    /**
     * The seqs (from, to] that count as not applied: set back by a recovery (applied once before the crash, then lost
     * with it), or given up by a reconnect (sent on a connection that dropped, and not sent again).
     */
    private long excludedFrom;
    private long excludedTo;
    private long inputsGivenUp;
    private long localHandovers;
    private long resyncs;
    private long crossNodeHandovers;

    public ProtocolChecker(long maxGapNanos) {
        this.maxGapNanos = maxGapNanos;
    }

    /**
     * A (re)join: inputs go on after {@code lastAppliedSeq}. A welcome that is not a resume is a new player, whose
     * seqs start again from 1.
     */
    public void onWelcome(ServerMessage.Welcome welcome, long nowNanos) {
        cellKnown = false; // a resumed player may have moved on while away
        if (!welcome.resumed()) {
            lastSent = 0;
            unacked.clear();
        }
        baseSeq = welcome.lastAppliedSeq();
        lastSent = Math.max(lastSent, baseSeq);
        lastAck = baseSeq;
        baseApplied = -1;
        lastSnapshotAt = nowNanos;
        excludedFrom = excludedTo = 0;
    }

    /**
     * After a resume, the seqs (from, to] sent on the lost connection are not sent again (the client kept too few):
     * they are never applied, and count neither as lost nor as skipped. Call right after the welcome.
     */
    public void onInputsGivenUp(long from, long to) {
        if (to <= from) {
            return;
        }
        inputsGivenUp += to - from;
        excludedFrom = from;
        excludedTo = to;
        unacked.removeIf(sent -> sent[0] > from && sent[0] <= to);
    }

    /**
     * The player's node crashed and it was put back from its checkpoint: the inputs after the checkpoint's
     * {@code last_applied_seq} that were acknowledged before were applied once and are lost with the crash (the
     * bounded loss of a failover), so they count neither as skipped nor as applied; the rest go on as sent. The
     * pause before this message is the recovery's, not a snapshot gap.
     */
    public void onRecovered(ServerMessage.Recovered r, long nowNanos) {
        recoveries++;
        ticksLost += r.ticksLost();
        // What the crash took back: from its checkpoint to the last tick this client saw (the pause after is no loss).
        maxRollbackTicks = Math.max(maxRollbackTicks, Math.max(0, lastTick - r.fromTick()));
        excludedFrom = r.lastAppliedSeq();
        excludedTo = Math.max(lastAck, r.lastAppliedSeq());
        inputsRolledBack += excludedTo - excludedFrom;
        cellKnown = false;
        baseSeq = r.lastAppliedSeq();
        lastAck = r.lastAppliedSeq();
        baseApplied = -1;
        lastSnapshotAt = nowNanos;
    }

    public long nextSeq() {
        return lastSent + 1;
    }

    public void onInputSent(long seq, long nowNanos) {
        if (seq != lastSent + 1) {
            violation("seq_gap_sent", "client sent " + seq + " after " + lastSent);
        }
        lastSent = seq;
        inputsSent++;
        unacked.addLast(new long[] {seq, nowNanos});
    }

    public void onSnapshot(ServerMessage.Snapshot s, long nowNanos) {
        snapshots++;
        // A tick's cell_change comes before its snapshot, so the snapshot's cell is the one the changes led to.
        if (cellKnown && (s.cx() != cx || s.cz() != cz)) {
            violation("cell_change_missed", "snapshot in cell " + s.cx() + "," + s.cz() + " but the last cell_change "
                    + "left the player in " + cx + "," + cz);
        }
        cellKnown = true;
        cx = s.cx();
        cz = s.cz();
        if (s.tick() <= lastTick) {
            violation("tick_not_increasing", "tick " + s.tick() + " after " + lastTick);
        }
        if (lastTick >= 0) {
            long gap = nowNanos - lastSnapshotAt;
            maxGapSeen = Math.max(maxGapSeen, gap);
            if (gap > maxGapNanos) {
                violation("snapshot_gap", TimeUnit.NANOSECONDS.toMillis(gap) + " ms without a snapshot");
            }
        }
        lastTick = s.tick();
        lastSnapshotAt = nowNanos;
        if (s.lastAppliedSeq() < lastAck) {
            violation("ack_regressed", "last_applied_seq " + s.lastAppliedSeq() + " after " + lastAck);
        }
        if (s.lastAppliedSeq() > lastSent) {
            violation("ack_unsent", "last_applied_seq " + s.lastAppliedSeq() + " but only sent up to " + lastSent);
        }
        // Inputs are sent with consecutive seqs, so exactly (ack - base) of them must have been applied, but for those
        // a recovery set back or a reconnect gave up.
        long expected = s.lastAppliedSeq() - baseSeq
                - Math.max(0, Math.min(s.lastAppliedSeq(), excludedTo) - Math.max(baseSeq, excludedFrom));
        if (baseApplied < 0) {
            baseApplied = s.applied() - expected;
        }
        long actual = s.applied() - baseApplied;
        if (actual > expected) {
            duplicated += actual - expected;
            violation("input_duplicated", "applied " + actual + " inputs for seqs up to " + s.lastAppliedSeq());
            baseApplied += actual - expected;
        } else if (actual < expected) {
            skipped += expected - actual;
            violation("input_skipped", "applied " + actual + " inputs for seqs up to " + s.lastAppliedSeq());
            baseApplied -= expected - actual;
        }
        lastAck = Math.max(lastAck, s.lastAppliedSeq());
        lastApplied = s.applied();
        while (!unacked.isEmpty() && unacked.peekFirst()[0] <= s.lastAppliedSeq()) {
            long[] sent = unacked.pollFirst();
            inputLatency.recordValue(Math.min(Math.max(0, nowNanos - sent[1]), inputLatency.getHighestTrackableValue()));
        }
    }

    /** Recoveries from a node crash this client went through, and the ticks and inputs they set it back. */
    public long recoveries() { return recoveries; }
    public long ticksLost() { return ticksLost; }
    public long inputsRolledBack() { return inputsRolledBack; }
    /** The most ticks one recovery set this client back: from its checkpoint to the last snapshot before it. */
    public long maxRollbackTicks() { return maxRollbackTicks; }
    /** Inputs sent on a connection that dropped and not sent again after the resume. */
    public long inputsGivenUp() { return inputsGivenUp; }

    public void onGameEvent(ServerMessage.GameEvent e) {
        gameEvents++;
    }

    public void onCellChange(ServerMessage.CellChange c) {
        if ("resync".equals(c.handover())) {
            // The node's link to the gateway dropped and came back: what went meanwhile may be lost, so this says
            // where the player is now; no border was crossed by it.
            resyncs++;
            cellKnown = true;
            cx = c.toCx();
            cz = c.toCz();
            return;
        }
        cellChanges++;
        if (cellKnown && (c.fromCx() != cx || c.fromCz() != cz)) {
            violation("cell_change_discontinuous", "cell_change from " + c.fromCx() + "," + c.fromCz()
                    + " but the player was in " + cx + "," + cz);
        }
        cellKnown = true;
        cx = c.toCx();
        cz = c.toCz();
        if ("cross_node".equals(c.handover())) {
            crossNodeHandovers++;
        } else {
            localHandovers++;
        }
    }

    /** An error from the server is counted apart from violations: it may be the answer to a test's bad input. */
    public void onError(ServerMessage.Error e) {
        errors++;
        if (violations.size() < MAX_RECORDED) {
            violations.add(new Violation("server_error", e.code() + ": " + e.message(), lastTick));
        }
    }

    /** Checks that nothing is left overdue at the end of a run: call once inputs have stopped and settled. */
    public long inputsUnacknowledged() {
        return lastSent - Math.max(lastAck, excludedTo);
    }

    private void violation(String kind, String detail) {
        violationCount++;
        violationsByKind.merge(kind, 1L, Long::sum); // kinds are this class's own constants: a bounded map
        if (violations.size() < MAX_RECORDED) {
            violations.add(new Violation(kind, detail, lastTick));
        }
    }

    public long inputsSent() { return inputsSent; }
    /** Inputs of this connection the server reports applied (from the snapshots' {@code applied}). */
    public long inputsApplied() { return baseApplied < 0 ? 0 : lastApplied - baseApplied; }
    public long inputsDuplicated() { return duplicated; }
    public long inputsSkipped() { return skipped; }
    public long lastAck() { return lastAck; }
    public long lastSent() { return lastSent; }
    public long snapshots() { return snapshots; }
    public long lastTick() { return lastTick; }
    public long maxGapNanos() { return maxGapSeen; }
    public long errors() { return errors; }
    public long cellChanges() { return cellChanges; }
    public long gameEvents() { return gameEvents; }
    public long localHandovers() { return localHandovers; }
    /** {@code cell_change}s with {@code handover: "resync"}: the cell said again after a link came back. */
    public long resyncs() { return resyncs; }
    public long crossNodeHandovers() { return crossNodeHandovers; }
    public long violationCount() { return violationCount; }
    /** Every violation counted by kind ({@code snapshot_gap}, {@code tick_not_increasing}, ...). */
    public java.util.Map<String, Long> violationsByKind() { return java.util.Map.copyOf(violationsByKind); }
    public List<Violation> violations() { return List.copyOf(violations); }
    public Histogram inputLatency() { return inputLatency; }
}
