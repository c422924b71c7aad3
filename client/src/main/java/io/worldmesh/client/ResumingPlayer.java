package io.worldmesh.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.ServerMessage;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One player across its connections, as a mature client keeps it: when the connection drops (a gateway crashed, a
 * network cut), it reconnects by itself after a {@link ReconnectBackoff} delay, to the next of its gateways in turn,
 * says hello with its resume token, and gets its player back where the simulation has it. The inputs the server had
 * not acknowledged when the connection dropped are sent again with their own seqs (the node applies only seqs
 * above its {@code last_applied_seq}, so none is applied twice); past {@link #KEPT_INPUTS} unacknowledged ones, the
 * oldest are given up and the checker is told.
 *
 * <p>A close that says trying again is pointless (1002, 1007, 1008, 1009: the client itself is at fault) ends it,
 * as does {@link #close()}. Everything runs on one Vert.x context, where its {@link ProtocolChecker} lives.
 */
public final class ResumingPlayer {

    /** Unacknowledged inputs kept to send again after a reconnect: 12.8 s of input at 20 Hz. */
    static final int KEPT_INPUTS = 256;
    /** A connection that gets no welcome in this time is given up and tried again. */
    static final long WELCOME_TIMEOUT_MILLIS = 10_000;

    /** An input as sent: what to send again after a resume. */
    private record SentInput(long seq, double moveX, double moveZ, double yaw, ClientMessage.GameAction action) {
    }

    private final Context context;
    private final WebSocketClient client;
    private final List<URI> urls;
    private final String name;
    private final ProtocolChecker checker;
    private final Consumer<ServerMessage> listener;
    private final ReconnectBackoff backoff;
    private final ArrayDeque<SentInput> unacked = new ArrayDeque<>();
    private final Histogram resumeNanos = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
    private GameConnection connection;
    /** The context's event-loop thread: what runs on it may see a duplicate of the context. */
    private volatile Thread thread;
    private int urlIndex;
    private String playerId;
    private volatile java.util.Map<String, java.util.Map<String, String>> declaredActions = java.util.Map.of();
    private String resumeToken;
    private boolean closed;
    /** When the current outage began, or -1 while connected. */
    private long lostAtNanos = -1;
    /** Written on the context only; volatile so that a monitor may read it while the bots play. */
    private volatile long reconnects;
    private long playersLost;
    private long inputsResent;
    private long inputsGivenUp;
    private long closedForGood;
    private volatile long lastSnapshotNanos = System.nanoTime();
    private volatile String lastNode;

    private ResumingPlayer(Context context, WebSocketClient client, List<URI> urls, int firstUrl, String name,
                           ProtocolChecker checker, Consumer<ServerMessage> listener, long seed) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a player needs at least one gateway URL");
        }
        this.context = context;
        this.client = client;
        this.urls = List.copyOf(urls);
        this.urlIndex = Math.floorMod(firstUrl, urls.size());
        this.name = name;
        this.checker = checker;
        this.listener = listener;
        this.backoff = new ReconnectBackoff(new SplittableRandom(seed));
    }

    /**
     * Joins as a new player at {@code urls[firstUrl % size]}; completes once welcomed. A first connection that fails
     * is not tried again (the caller counts it); after a welcome, every loss is.
     */
    public static Future<ResumingPlayer> join(Vertx vertx, WebSocketClient client, List<URI> urls, int firstUrl,
                                              String name, ProtocolChecker checker, Consumer<ServerMessage> listener,
                                              long seed) {
        ResumingPlayer p = new ResumingPlayer(vertx.getOrCreateContext(), client, urls, firstUrl, name, checker,
                listener, seed);
        Promise<ResumingPlayer> joined = Promise.promise();
        p.context.runOnContext(v -> {
            p.thread = Thread.currentThread();
            p.open(null).onComplete(ar -> {
                if (ar.succeeded()) {
                    p.playerId = ar.result().welcome().playerId();
                    p.declaredActions = ar.result().welcome().world().actions();
                    joined.complete(p);
                } else {
                    p.closed = true;
                    joined.fail(ar.cause());
                }
            });
        });
        return joined.future();
    }

    private Future<GameConnection> open(String token) {
        return GameConnection.open(context, client, urls.get(urlIndex), name, token, checker, this::onMessage,
                WELCOME_TIMEOUT_MILLIS).onSuccess(c -> {
                    connection = c;
                    resumeToken = c.welcome().resumeToken();
                    c.closedFuture().thenAccept(code -> context.runOnContext(v -> onClosed(c, code)));
                });
    }

    private void onMessage(ServerMessage msg) {
        if (msg instanceof ServerMessage.Snapshot s) {
            lastSnapshotNanos = System.nanoTime();
            lastNode = s.node();
            while (!unacked.isEmpty() && unacked.peekFirst().seq() <= s.lastAppliedSeq()) {
                unacked.pollFirst();
            }
        }
        listener.accept(msg);
    }

    private void onClosed(GameConnection c, short code) {
        if (c != connection || closed) {
            return;
        }
        connection = null;
        if (code == 1002 || code == 1007 || code == 1008 || code == 1009) {
            closed = true; // the server says this client is at fault: coming back would be refused the same way
            closedForGood++;
            return;
        }
        lostAtNanos = System.nanoTime();
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        long delay = backoff.nextDelayMillis();
        context.owner().setTimer(delay, t -> reconnect());
    }

    private void reconnect() {
        if (closed) {
            return;
        }
        urlIndex = (urlIndex + 1) % urls.size(); // the gateway that dropped us may be the one that died
        open(resumeToken).onComplete(ar -> {
            if (closed) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
                return;
            }
            if (ar.failed()) {
                scheduleReconnect();
                return;
            }
            ServerMessage.Welcome w = ar.result().welcome();
            backoff.reset();
            reconnects++;
            resumeNanos.recordValue(Math.min(System.nanoTime() - lostAtNanos, resumeNanos.getHighestTrackableValue()));
            lostAtNanos = -1;
            if (!w.resumed() || !w.playerId().equals(playerId)) {
                playersLost++; // joined afresh: the player this client had is gone
                playerId = w.playerId();
                unacked.clear();
                return;
            }
            resendUnacknowledged(ar.result(), w.lastAppliedSeq());
        });
    }

    private void resendUnacknowledged(GameConnection c, long lastApplied) {
        while (!unacked.isEmpty() && unacked.peekFirst().seq() <= lastApplied) {
            unacked.pollFirst();
        }
        long firstKept = unacked.isEmpty() ? checker.lastSent() + 1 : unacked.peekFirst().seq();
        if (firstKept > lastApplied + 1) {
            inputsGivenUp += firstKept - lastApplied - 1;
            checker.onInputsGivenUp(lastApplied, firstKept - 1);
        }
        for (SentInput in : unacked) {
            c.resendInput(in.seq(), in.moveX(), in.moveZ(), in.yaw(), in.action());
            inputsResent++;
        }
    }

    /** Sends one input with the next seq, if connected; while reconnecting the input is not sent (nor counted). */
    public boolean sendInput(double moveX, double moveZ, double yaw) {
        return sendInput(moveX, moveZ, yaw, null);
    }

    /** As {@link #sendInput(double, double, double)}, carrying a game action when {@code action} is not null. */
    public boolean sendInput(double moveX, double moveZ, double yaw, ClientMessage.GameAction action) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("call on the player's context");
        }
        GameConnection c = connection;
        if (c == null || c.isClosed()) {
            return false;
        }
        long seq = checker.nextSeq();
        c.sendInput(moveX, moveZ, yaw, action);
        unacked.addLast(new SentInput(seq, moveX, moveZ, yaw, action));
        if (unacked.size() > KEPT_INPUTS) {
            unacked.pollFirst();
        }
        return true;
    }

    /** Runs {@code f} on this player's context, where the checker may be read. */
    public <T> CompletableFuture<T> query(Function<ProtocolChecker, T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        context.runOnContext(v -> out.complete(f.apply(checker)));
        return out;
    }

    /** Reads this player's reconnection figures on its context. */
    public CompletableFuture<Reconnections> reconnections() {
        CompletableFuture<Reconnections> out = new CompletableFuture<>();
        context.runOnContext(v -> out.complete(new Reconnections(reconnects, playersLost, inputsResent,
                inputsGivenUp, closedForGood, lostAtNanos >= 0, resumeNanos.copy())));
        return out;
    }

    /** Closes the connection for good: no reconnect follows. */
    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            GameConnection c = connection;
            if (c == null) {
                done.complete();
            } else {
                c.close().onComplete(done);
            }
        });
        return done.future();
    }

    /** When the last snapshot arrived ({@link System#nanoTime()}); readable from any thread. */
    public long lastSnapshotNanos() {
        return lastSnapshotNanos;
    }

    /** Reconnections that got a welcome so far; readable from any thread. */
    public long reconnectsSoFar() {
        return reconnects;
    }

    /** The node the last snapshot came from, or null before any; readable from any thread. */
    public String lastNode() {
        return lastNode;
    }

    public Context context() {
        return context;
    }

    /** The game's actions, as the first welcome declared them: name to field to type. */
    public java.util.Map<String, java.util.Map<String, String>> declaredActions() {
        return declaredActions;
    }

    /** The player this client holds (the first welcome's, or a later one's if it had to join afresh). */
    public String playerId() {
        return playerId;
    }

    /**
     * What a player's reconnections came to.
     *
     * @param reconnects     times it got a welcome again after losing its connection
     * @param playersLost    of those, times it came back as a new player (its own was gone)
     * @param inputsResent   unacknowledged inputs sent again after a resume
     * @param inputsGivenUp  unacknowledged inputs past {@link #KEPT_INPUTS}, not sent again
     * @param closedForGood  times the server closed it with a code that forbids coming back
     * @param down           still without a connection
     * @param resumeNanos    from the loss of a connection to the welcome on the next one
     */
    public record Reconnections(long reconnects, long playersLost, long inputsResent, long inputsGivenUp,
                                long closedForGood, boolean down, Histogram resumeNanos) {
    }
}
