package io.worldmesh.embedded;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A bare WebSocket client for tests of bad input: it sends whatever it is given, text or binary, in one frame of
 * any size, and records every message the server sends and how the connection ended. Unlike
 * {@code GameConnection} it does not say hello on its own, so it can misbehave from the first frame.
 */
final class RawClient implements AutoCloseable {

    /** How the server ended the connection. */
    record Close(Short code, String reason) {
    }

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebSocketClient client;
    private final WebSocket ws;
    /**
     * Everything but snapshots and game events, in arrival order: snapshots come 20 times a second and would drown
     * the rest, and game events (an orb collected where a player happened to spawn) are play, not answers.
     */
    private final List<JsonObject> messages = new CopyOnWriteArrayList<>();
    private final AtomicLong snapshots = new AtomicLong();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final AtomicLong nextPingId = new AtomicLong(1_000_000);
    private volatile JsonObject lastSnapshot;
    private volatile JsonObject welcome;

    private RawClient(WebSocketClient client, WebSocket ws) {
        this.client = client;
        this.ws = ws;
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> messages.add(new JsonObject().put("type", "_binary").put("size", b.length())));
        ws.closeHandler(v -> closed.complete(new Close(ws.closeStatusCode(), ws.closeReason())));
    }

    static RawClient connect(Vertx vertx, URI uri) {
        // A large client frame limit, so that an oversized frame leaves this side in one piece.
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(4 * 1024 * 1024)
                .setMaxMessageSize(4 * 1024 * 1024));
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(uri.getHost()).setPort(uri.getPort()).setURI(uri.getRawPath());
        try {
            WebSocket ws = client.connect(options).toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new RawClient(client, ws);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("cannot connect to " + uri, e);
        }
    }

    private void onText(String text) {
        JsonObject msg;
        try {
            msg = new JsonObject(text);
        } catch (RuntimeException e) {
            msg = new JsonObject().put("type", "_undecodable").put("text", text);
        }
        if ("snapshot".equals(msg.getString("type"))) {
            lastSnapshot = msg;
            snapshots.incrementAndGet();
        } else if (!"game_event".equals(msg.getString("type"))) {
            messages.add(msg);
        }
    }

    /** Sends {@code text} as one final text frame, whatever its size. */
    void send(String text) {
        ws.writeFrame(WebSocketFrame.textFrame(text, true));
    }

    void sendBinary(byte[] bytes) {
        ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(bytes), true));
    }

    void sendFrame(WebSocketFrame frame) {
        ws.writeFrame(frame);
    }

    /** Says hello and waits for the welcome. */
    JsonObject hello(String name) {
        return hello(name, null);
    }

    JsonObject hello(String name, String resumeToken) {
        JsonObject hello = new JsonObject().put("type", "hello").put("v", 1).put("name", name);
        if (resumeToken != null) {
            hello.put("resume", resumeToken);
        }
        int from = messages.size();
        send(hello.encode());
        welcome = awaitMessage(from, m -> "welcome".equals(m.getString("type")));
        return welcome;
    }

    /** The welcome that {@link #hello} waited for. */
    JsonObject welcome() {
        return welcome;
    }

    String playerId() {
        return welcome.getString("player_id");
    }

    void input(long seq, double mx, double mz, double yaw) {
        send(inputJson(seq, mx, mz, yaw).encode());
    }

    static JsonObject inputJson(long seq, double mx, double mz, double yaw) {
        return new JsonObject().put("type", "input").put("seq", seq)
                .put("move", new JsonObject().put("x", mx).put("z", mz)).put("yaw", yaw);
    }

    /**
     * Sends {@code text}, then a ping, and returns what the server answered in between, snapshots and cell changes
     * left out. The gateway answers a connection's frames in order, so these are the answers to {@code text}.
     * Needs a connection past hello (before it, a ping is refused rather than answered).
     */
    List<JsonObject> exchange(String text) {
        return exchange(() -> send(text));
    }

    /** As {@link #exchange(String)}, for whatever {@code sender} sends. */
    List<JsonObject> exchange(Runnable sender) {
        int from = messages.size();
        long id = nextPingId.getAndIncrement();
        sender.run();
        send(new JsonObject().put("type", "ping").put("id", id).encode());
        awaitMessage(from, m -> "pong".equals(m.getString("type")) && Long.valueOf(id).equals(m.getLong("id")));
        return since(from).stream()
                .takeWhile(m -> !("pong".equals(m.getString("type")) && Long.valueOf(id).equals(m.getLong("id"))))
                .filter(m -> !"cell_change".equals(m.getString("type")))
                .toList();
    }

    /** The first message from index {@code from} on that matches, waiting for it if need be. */
    JsonObject awaitMessage(int from, Predicate<JsonObject> match) {
        return await().atMost(TIMEOUT).until(
                () -> since(from).stream().filter(match).findFirst().orElse(null),
                m -> m != null);
    }

    /** Waits until {@code n} messages have arrived since index {@code from} and returns them. */
    List<JsonObject> awaitMessages(int from, int n) {
        await().atMost(TIMEOUT).until(() -> messages.size() - from >= n);
        return since(from);
    }

    /** The messages from index {@code from} on; a copy, as the list grows while we read. */
    List<JsonObject> since(int from) {
        List<JsonObject> all = List.copyOf(messages);
        return all.subList(Math.min(from, all.size()), all.size());
    }

    List<JsonObject> messages() {
        return List.copyOf(messages);
    }

    int messageCount() {
        return messages.size();
    }

    long snapshots() {
        return snapshots.get();
    }

    JsonObject lastSnapshot() {
        return lastSnapshot;
    }

    CompletableFuture<Close> closed() {
        return closed;
    }

    /** Waits for the server to end the connection; fails (leaving this client usable) if it does not. */
    Close awaitClosed() {
        try {
            return closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("connection still open after " + TIMEOUT.toSeconds() + " s; received "
                    + messages, e);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Closes the connection (if still open) and waits until it is gone. */
    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.close();
            closed.completeOnTimeout(new Close(null, "gave up waiting"), TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .join();
        }
        client.close();
    }
}
