package io.worldmesh.bench;

import io.worldmesh.client.GameConnection;
import io.worldmesh.protocol.client.ServerMessage;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One real client of the benchmark: its connection through the gateway, when each of its snapshots arrived and
 * from which node, and whether it may be handed over again. A player is ready once its client has had a snapshot
 * from the node that owns it now; so every handover is one a client can see end, and none starts on top of the
 * last one's tail. Snapshots arrive on the connection's context, handovers end on the HTTP client's: one lock.
 */
final class BenchPlayer {

    private final List<String> nodes;
    private final Consumer<BenchPlayer> onReady;
    private GameConnection connection;
    private String id;
    private long[] times = new long[1024];
    private byte[] from = new byte[1024];
    private int snapshots;
    private String owner;
    private boolean waiting = true;
    /** While waiting: the node whose snapshot ends the wait (null: any), and after when it must arrive. */
    private String waitFor;
    private long waitAfter;

    /** {@code nodes}: the cluster's node ids, in a fixed order; {@code onReady}: called once per wait ended. */
    BenchPlayer(List<String> nodes, Consumer<BenchPlayer> onReady) {
        this.nodes = nodes;
        this.onReady = onReady;
    }

    synchronized void connected(GameConnection c) {
        this.connection = c;
        this.id = c.welcome().playerId();
    }

    /** The connection's listener: called on its context for every message. */
    void onMessage(ServerMessage msg) {
        if (msg instanceof ServerMessage.Welcome w) {
            synchronized (this) {
                id = w.playerId();
            }
        }
        if (msg instanceof ServerMessage.Snapshot s) {
            onSnapshot(s.node(), System.nanoTime());
        }
    }

    /** A snapshot from {@code node} arrived at {@code now}. */
    void onSnapshot(String node, long now) {
        boolean ready;
        synchronized (this) {
            if (snapshots == times.length) {
                times = Arrays.copyOf(times, snapshots * 2);
                from = Arrays.copyOf(from, snapshots * 2);
            }
            times[snapshots] = now;
            from[snapshots] = (byte) nodes.indexOf(node);
            snapshots++;
            ready = waiting && now > waitAfter && (waitFor == null || waitFor.equals(node));
            if (ready) {
                waiting = false;
                owner = node;
            }
        }
        if (ready) {
            onReady.accept(this);
        }
    }

    /**
     * The hook's answer: after a commit, ready once a snapshot from the new owner has arrived since the start
     * (maybe already); otherwise once any snapshot arrives after the end, which names the owner.
     */
    void handoverEnded(HandoverSample s) {
        boolean ready = false;
        synchronized (this) {
            waiting = true;
            if (s.committed()) {
                owner = s.toNode();
                waitFor = s.toNode();
                waitAfter = s.startNanos();
                ready = snapshots > 0 && times[snapshots - 1] > waitAfter
                        && from[snapshots - 1] == nodes.indexOf(waitFor);
                waiting = !ready;
            } else {
                waitFor = null;
                waitAfter = s.endNanos();
            }
        }
        if (ready) {
            onReady.accept(this);
        }
    }

    /**
     * The largest gap between two snapshots this client saw around a committed handover: from the last snapshot
     * before {@code s} started to the first one from its new owner. -1 when either is missing.
     */
    synchronized long gapAround(HandoverSample s) {
        int first = Arrays.binarySearch(times, 0, snapshots, s.startNanos());
        first = first >= 0 ? first : -first - 2; // the last one at or before the start
        if (first < 0) {
            return -1;
        }
        int target = nodes.indexOf(s.toNode());
        long gap = 0;
        for (int i = first + 1; i < snapshots; i++) {
            gap = Math.max(gap, times[i] - times[i - 1]);
            if (from[i] == target) {
                return gap;
            }
        }
        return -1;
    }

    synchronized String id() {
        return id;
    }

    synchronized String owner() {
        return owner;
    }

    synchronized GameConnection connection() {
        return connection;
    }
}
