package io.worldmesh.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.ServerMessage;
import io.worldmesh.protocol.client.ServerMessageDecoder;
import io.worldmesh.protocol.json.JsonOut;
import io.worldmesh.protocol.tls.TlsFiles;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One game client's connection: says hello, numbers and sends inputs, decodes what the server sends and feeds
 * it to a {@link ProtocolChecker}. Everything runs on the connection's own Vert.x context; calls from other
 * threads hop onto it.
 */
public final class GameConnection {

    private final Context context;
    /** Held so that Vert.x does not close an unreferenced client, and its connections with it. */
    private final WebSocketClient client;
    private final ProtocolChecker checker;
    private final ServerMessageDecoder decoder = new ServerMessageDecoder();
    private final Consumer<ServerMessage> listener;
    private final Promise<ServerMessage.Welcome> welcomed = Promise.promise();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();
    private WebSocket ws;
    /** The context's event-loop thread, once known: timers and handlers may run on a duplicate of the context. */
    private volatile Thread thread;
    private volatile ServerMessage.Welcome welcome;
    private volatile ServerMessage.Snapshot lastSnapshot;
    private volatile long lastPingSentNanos;
    private volatile long lastRttNanos = -1;
    /** Echoes sent and not answered yet, by id; touched only on the context. */
    private final Map<Long, PendingEcho> echoes = new HashMap<>();

    private record PendingEcho(long sentAtNanos, CompletableFuture<Long> rtt) {
    }

    private GameConnection(Context context, WebSocketClient client, ProtocolChecker checker,
                           Consumer<ServerMessage> listener) {
        this.context = context;
        this.client = client;
        this.checker = checker;
        this.listener = listener;
    }

    /**
     * Connects to {@code url} (e.g. {@code ws://localhost:8080/ws}, or {@code wss://...} over TLS, verified with
     * what {@code client} trusts), says hello as {@code name} (resuming with
     * {@code resumeToken} if not null) and completes once welcomed.
     */
    public static Future<GameConnection> open(Vertx vertx, WebSocketClient client, URI url, String name,
                                              String resumeToken, ProtocolChecker checker,
                                              Consumer<ServerMessage> listener) {
        return open(vertx.getOrCreateContext(), client, url, name, resumeToken, checker, listener, 0);
    }

    /**
     * As {@link #open(Vertx, WebSocketClient, URI, String, String, ProtocolChecker, Consumer)}, on {@code context};
     * with {@code timeoutMillis} above 0, a connection that is not welcomed within it (a gateway that accepts and
     * never answers) is closed and the result fails.
     */
    public static Future<GameConnection> open(Context context, WebSocketClient client, URI url, String name,
                                              String resumeToken, ProtocolChecker checker,
                                              Consumer<ServerMessage> listener, long timeoutMillis) {
        GameConnection c = new GameConnection(context, client, checker, listener);
        Promise<GameConnection> result = Promise.promise();
        context.runOnContext(v -> {
            c.thread = Thread.currentThread();
            boolean tls = TlsFiles.isSecure(url);
            WebSocketConnectOptions options = new WebSocketConnectOptions()
                    .setHost(url.getHost())
                    .setPort(url.getPort() > 0 ? url.getPort() : tls ? 443 : 80)
                    .setSsl(tls)
                    .setURI(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/ws" : url.getRawPath());
            long timer = timeoutMillis <= 0 ? -1 : context.owner().setTimer(timeoutMillis, t -> {
                if (c.welcomed.tryFail("no welcome from " + url + " in " + timeoutMillis + " ms") && c.ws != null) {
                    c.ws.close();
                }
            });
            c.welcomed.future().onComplete(w -> {
                context.owner().cancelTimer(timer);
                if (w.succeeded()) {
                    result.complete(c);
                } else {
                    result.fail(w.cause());
                }
            });
            client.connect(options).onSuccess(ws -> {
                c.ws = ws;
                if (c.welcomed.future().isComplete()) { // timed out while connecting
                    ws.close();
                    return;
                }
                ws.textMessageHandler(c::onText);
                ws.closeHandler(x -> {
                    c.closed.complete(ws.closeStatusCode());
                    c.welcomed.tryFail("closed before welcome: " + ws.closeStatusCode() + " " + ws.closeReason());
                });
                JsonOut hello = new JsonOut(96).raw("{\"type\":\"hello\",\"v\":1,\"name\":").string(name);
                if (resumeToken != null) {
                    hello.raw(",\"resume\":").string(resumeToken);
                }
                ws.writeTextMessage(hello.raw('}').toString());
            }).onFailure(c.welcomed::tryFail);
        });
        return result.future();
    }

    private void onText(String text) {
        long now = System.nanoTime();
        ServerMessage msg = decoder.decode(text).orElse(null);
        if (msg == null) {
            checker.onError(new ServerMessage.Error("undecodable", text.length() > 80 ? text.substring(0, 80) : text));
            return;
        }
        switch (msg) {
            case ServerMessage.Welcome w -> {
                welcome = w;
                checker.onWelcome(w, now);
                welcomed.tryComplete(w);
            }
            case ServerMessage.Snapshot s -> {
                lastSnapshot = s;
                checker.onSnapshot(s, now);
            }
            case ServerMessage.CellChange cc -> checker.onCellChange(cc);
            case ServerMessage.Recovered r -> checker.onRecovered(r, now);
            case ServerMessage.GameEvent ge -> checker.onGameEvent(ge);
            case ServerMessage.Error e -> checker.onError(e);
            case ServerMessage.Pong p -> lastRttNanos = now - lastPingSentNanos;
            case ServerMessage.Echo e -> {
                PendingEcho pending = echoes.remove(e.id());
                if (pending != null) {
                    pending.rtt().complete(now - pending.sentAtNanos());
                }
            }
        }
        listener.accept(msg);
    }

    /** Sends one input with the next seq: a direction (length at most 1) and a facing. */
    public void sendInput(double moveX, double moveZ, double yaw) {
        sendInput(moveX, moveZ, yaw, null);
    }

    /** As {@link #sendInput(double, double, double)}, carrying a game action when {@code action} is not null. */
    public void sendInput(double moveX, double moveZ, double yaw, ClientMessage.GameAction action) {
        onContext(() -> {
            long seq = checker.nextSeq();
            checker.onInputSent(seq, System.nanoTime());
            ws.writeTextMessage(inputJson(seq, moveX, moveZ, yaw, action));
        });
    }

    /**
     * Sends again an input sent on an earlier connection, with its own seq (and action, if it had one), after a
     * resume: the node applies only seqs above its {@code last_applied_seq}, so one that did arrive before is not
     * applied twice.
     */
    public void resendInput(long seq, double moveX, double moveZ, double yaw, ClientMessage.GameAction action) {
        onContext(() -> ws.writeTextMessage(inputJson(seq, moveX, moveZ, yaw, action)));
    }

    static String inputJson(long seq, double moveX, double moveZ, double yaw,
                                    ClientMessage.GameAction action) {
        JsonOut o = new JsonOut(112).raw("{\"type\":\"input\",\"seq\":").number(seq)
                .raw(",\"move\":{\"x\":").number(moveX, 4).raw(",\"z\":").number(moveZ, 4)
                .raw("},\"yaw\":").number(yaw, 4);
        if (action != null) {
            o.raw(",\"action\":{\"name\":").string(action.name());
            action.fields().forEach((k, v) -> {
                o.raw(',').string(k).raw(':');
                switch (v) {
                    case String str -> o.string(str);
                    case Boolean b -> o.bool(b);
                    case Number n -> o.number(n.doubleValue(), 4);
                    default -> throw new IllegalArgumentException("an action field is a string, number or boolean");
                }
            });
            o.raw('}');
        }
        return o.raw('}').toString();
    }

    public void ping() {
        onContext(() -> {
            lastPingSentNanos = System.nanoTime();
            ws.writeTextMessage("{\"type\":\"ping\",\"id\":1}");
        });
    }

    /**
     * Sends an echo, which goes through the gateway to the owning node's simulation and back; completes with the
     * round trip in nanoseconds, timed on this connection's context. Never completes if the echo is lost.
     */
    public CompletableFuture<Long> echo(long id) {
        CompletableFuture<Long> rtt = new CompletableFuture<>();
        onContext(() -> {
            echoes.put(id, new PendingEcho(System.nanoTime(), rtt));
            ws.writeTextMessage("{\"type\":\"echo\",\"id\":" + id + "}");
        });
        return rtt;
    }

    /** Sends any text as is: for tests of what the server does with bad input. */
    public void sendRaw(String text) {
        onContext(() -> ws.writeTextMessage(text));
    }

    /** Runs {@code f} on this connection's context, where the checker may be read. */
    public <T> CompletableFuture<T> query(Function<ProtocolChecker, T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        onContext(() -> out.complete(f.apply(checker)));
        return out;
    }

    /** True once the socket is closed, by either side. */
    public boolean isClosed() {
        return closed.isDone();
    }

    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        onContext(() -> ws.close().onComplete(done));
        return done.future();
    }

    /** Completes with the close status code once the connection is closed (by either side). */
    public CompletableFuture<Short> closedFuture() {
        return closed;
    }

    public ServerMessage.Welcome welcome() {
        return welcome;
    }

    public ServerMessage.Snapshot lastSnapshot() {
        return lastSnapshot;
    }

    /** The last measured round trip in nanoseconds, or -1. */
    public long rttNanos() {
        return lastRttNanos;
    }

    public Context context() {
        return context;
    }

    private void onContext(Runnable r) {
        if (Thread.currentThread() == thread) {
            r.run();
        } else {
            context.runOnContext(v -> r.run());
        }
    }
}
