package io.worldmesh.embedded;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.client.Clients;
import io.worldmesh.gateway.Admission;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One address floods the gateway with connections, hellos and inputs, at the default limits: it gets as many
 * players as one address may hold, the rest are told {@code too_many_connections}, its extra hellos change
 * nothing, its inputs are cut off with {@code rate_limited} and 1008; and a player on another address goes on
 * getting a snapshot every tick meanwhile.
 */
class FloodTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String FLOODER = "127.0.0.70";
    private static final int ATTEMPTS = 100;
    private static final int TICK_RATE = 20;

    /** What one flooding connection saw. */
    private static final class Flooder {
        final WebSocket ws;
        final List<String> messages = new CopyOnWriteArrayList<>();
        volatile Short closeCode;

        Flooder(WebSocket ws) {
            this.ws = ws;
            ws.textMessageHandler(messages::add);
            ws.closeHandler(v -> closeCode = ws.closeStatusCode() == null ? -1 : ws.closeStatusCode());
        }

        /** Sends unless the gateway has closed it (which it may do at any moment). */
        void send(String text) {
            if (closeCode == null) {
                try {
                    ws.writeTextMessage(text);
                } catch (IllegalStateException closedMeanwhile) {
                    // what the flood is for
                }
            }
        }

        boolean has(String fragment) {
            return messages.stream().anyMatch(m -> m.contains(fragment));
        }

        boolean settled() {
            return closeCode != null || has("\"welcome\"");
        }
    }

    @Test
    void oneAddressIsHeldToItsLimitsWhileAPlayerOnAnotherKeepsItsSnapshots() {
        int perAddress = Admission.DEFAULTS.maxConnectionsPerAddress();
        Vertx clients = Vertx.vertx();
        try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests());
             Bystander bystander = Bystander.join(clients, world.wsUri(), "bystander")) {
            long joinsBefore = joins(world);
            Bystander.Mark start = bystander.mark();
            long startNanos = System.nanoTime();

            // Connections, all at once.
            WebSocketClient client = Clients.webSocketClient(clients, FLOODER);
            List<Future<Flooder>> attempts = new ArrayList<>();
            WebSocketConnectOptions to = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(world.port())
                    .setURI("/ws");
            for (int i = 0; i < ATTEMPTS; i++) {
                attempts.add(client.connect(to).map(Flooder::new)); // handlers set before any message arrives
            }
            Future.join(attempts).toCompletionStage().toCompletableFuture().exceptionally(e -> null)
                    .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
            List<Flooder> upgraded = attempts.stream().filter(Future::succeeded).map(Future::result).toList();
            // Hellos: one each, then ten more.
            for (Flooder f : upgraded) {
                for (int i = 0; i < 11; i++) {
                    f.send("{\"type\":\"hello\",\"v\":1,\"name\":\"flood\"}");
                }
            }
            await().atMost(TIMEOUT).until(() -> upgraded.stream().allMatch(Flooder::settled));
            List<Flooder> players = upgraded.stream().filter(f -> f.has("\"welcome\"")).toList();
            List<Flooder> told = upgraded.stream().filter(f -> f.has("\"too_many_connections\"")).toList();
            assertThat(players).as("players the flooding address got").hasSize(perAddress);
            assertThat(told).as("connections told too_many_connections, of %d upgraded", upgraded.size())
                    .isNotEmpty()
                    .allSatisfy(f -> assertThat(f.closeCode).isEqualTo((short) 1008));
            assertThat(players.size() + told.size()).as("every upgraded connection is a player or was told why")
                    .isEqualTo(upgraded.size());
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(players)
                    .allSatisfy(f -> assertThat(f.has("\"already_hello\"")).isTrue()));
            assertThat(joins(world) - joinsBefore).as("players made in the world").isEqualTo(perAddress);

            // Inputs: 500 a second on each player, until the gateway has closed every one of them.
            AtomicLong seq = new AtomicLong();
            long timer = clients.setPeriodic(10, t -> players.forEach(f -> {
                for (int i = 0; i < 5; i++) {
                    f.send("{\"type\":\"input\",\"seq\":" + seq.incrementAndGet()
                            + ",\"move\":{\"x\":1,\"z\":0},\"yaw\":0}");
                }
            }));
            try {
                await().atMost(TIMEOUT).until(() -> players.stream().allMatch(f -> f.closeCode != null));
            } finally {
                clients.cancelTimer(timer);
            }
            assertThat(players).allSatisfy(f -> {
                assertThat(f.has("\"rate_limited\"")).as("warned").isTrue();
                assertThat(f.closeCode).as("closed for its rate").isEqualTo((short) 1008);
            });

            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Bystander.Mark end = bystander.mark();
            assertThat(end.snapshots() - start.snapshots()).as("bystander's snapshots in %.1f s", seconds)
                    .isGreaterThanOrEqualTo((long) (0.75 * TICK_RATE * seconds));
            bystander.assertStillServed(start);
        } finally {
            clients.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private static long joins(EmbeddedWorld w) {
        return w.node().inspect(x -> x.stats().joins()).orTimeout(10, TimeUnit.SECONDS).join();
    }
}
