package io.worldmesh.embedded;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.worldmesh.client.Clients;
import io.worldmesh.client.GameConnection;
import io.worldmesh.client.ProtocolChecker;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A well-behaved player that stays connected while others misbehave: it sends a slow, steady stream of inputs and
 * its {@link ProtocolChecker} watches ticks, acks and snapshot gaps. Tests take a {@link Mark} before the bad
 * input and check afterwards that the gateway went on serving it.
 */
final class Bystander implements AutoCloseable {

    /** Where the bystander's view stood at some moment. */
    record Mark(long tick, long ack, long snapshots) {
    }

    /** Slow enough to stay under even a lowered limit of 10 inputs a second, with timer jitter. */
    private static final long INPUT_PERIOD_MS = 200;
    /** Generous: a snapshot is due every 50 ms; this only catches a stalled connection, not a slow machine. */
    private static final long MAX_SNAPSHOT_GAP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Vertx vertx;
    /**
     * Held for as long as the connection: GameConnection does not keep it, and Vert.x 5 closes a WebSocket
     * client (and its connections, after a 30 s grace) once it becomes unreachable and is garbage collected.
     */
    private final WebSocketClient client;
    private final GameConnection connection;
    private final long timer;

    private Bystander(Vertx vertx, WebSocketClient client, GameConnection connection) {
        this.vertx = vertx;
        this.client = client;
        this.connection = connection;
        AtomicLong n = new AtomicLong();
        // A slow small circle: the player keeps moving but never reaches a wall.
        this.timer = vertx.setPeriodic(INPUT_PERIOD_MS, id -> {
            double a = n.incrementAndGet() * 0.3;
            connection.sendInput(0.25 * Math.cos(a), 0.25 * Math.sin(a), a);
        });
    }

    static Bystander join(Vertx vertx, URI uri, String name) {
        WebSocketClient client = Clients.webSocketClient(vertx);
        try {
            GameConnection c = GameConnection.open(vertx, client, uri, name, null,
                            new ProtocolChecker(MAX_SNAPSHOT_GAP_NANOS), msg -> { })
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new Bystander(vertx, client, c);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("bystander could not join " + uri, e);
        }
    }

    String playerId() {
        return connection.welcome().playerId();
    }

    String resumeToken() {
        return connection.welcome().resumeToken();
    }

    Mark mark() {
        return connection.query(c -> new Mark(c.lastTick(), c.lastAck(), c.snapshots()))
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    /**
     * Since {@code since}: still connected, snapshots still coming with increasing ticks, its own inputs still
     * applied, and not one broken promise or error from the server.
     */
    void assertStillServed(Mark since) {
        assertStillServed(since, false);
    }

    /**
     * As {@link #assertStillServed(Mark)}; with {@code pausesAllowed}, a snapshot gap is not held against the
     * gateway (in a tiny heap under every flood at once, a collection may stop it for a second or two), every other
     * violation and error still is.
     */
    void assertStillServed(Mark since, boolean pausesAllowed) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Mark now = mark();
            assertThat(now.tick()).as("bystander's snapshot tick").isGreaterThan(since.tick() + 2);
            assertThat(now.ack()).as("bystander's last_applied_seq").isGreaterThan(since.ack());
        });
        assertThat(connection.closedFuture()).as("bystander's connection").isNotDone();
        // The checker lists server errors with its violations; a bystander must get none.
        var violations = connection.query(ProtocolChecker::violations).join().stream()
                .filter(v -> !(pausesAllowed && v.kind().equals("snapshot_gap"))).toList();
        assertThat(violations).as("bystander's violations and errors").isEmpty();
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        try {
            connection.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        } finally {
            client.close();
        }
    }
}
