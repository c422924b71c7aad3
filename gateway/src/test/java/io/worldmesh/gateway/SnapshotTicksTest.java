package io.worldmesh.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real gateway and a real WebSocket client; the node is this test, behind the gateway's link interface. The
 * gateway passes a client no snapshot at or below a tick it has already passed it: a source goes on sending a
 * frozen player's snapshots until the switch, and the target's first one may be no newer. Events always pass.
 */
class SnapshotTicksTest {

    private static final Pattern TICK = Pattern.compile("\"tick\":(\\d+)");

    private final Vertx vertx = Vertx.vertx();
    private final WebSocketClient client = vertx.createWebSocketClient();
    private GatewayServer gateway;

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    private static ToGateway.ToClient snapshot(String player, long tick) {
        return new ToGateway.ToClient(player, ("{\"type\":\"snapshot\",\"tick\":" + tick + "}")
                .getBytes(StandardCharsets.UTF_8), true, tick, -1);
    }

    @Test
    void aSnapshotAtOrBelowTheLastTickPassedIsDroppedAndEventsStillPass() throws Exception {
        RecordingNodeLinks node = new RecordingNodeLinks();
        GatewaySettings settings = GatewaySettings.defaults(new byte[32]).withHost("127.0.0.1").withPort(0)
                .forCluster(new byte[32], "c1");
        gateway = new GatewayServer(vertx, settings, node, CellAssignment.stripes(1, 1, List.of("n1")),
                new InMemoryDirectory(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        int port = gateway.start().await(10, TimeUnit.SECONDS);

        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws")).await(10, TimeUnit.SECONDS);
        ws.textMessageHandler(seen::add);
        ws.writeTextMessage("{\"type\":\"hello\",\"v\":1,\"name\":\"ana\"}");
        ToNode.Attach attach = (ToNode.Attach) await().atMost(Duration.ofSeconds(10))
                .until(() -> node.received.stream().filter(f -> f instanceof ToNode.Attach).findFirst().orElse(null),
                        f -> f != null);
        node.receiver.deliver("n1", new ToGateway.Attached(attach.connectionId(), "p1", false, 0, 1,
                new WorldInfo("n1", "orbs", 20, 1, 1, 64, 8, Map.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(m -> m.contains("\"welcome\"")));

        for (long tick : new long[] {10, 9, 10, 12, 11}) {
            node.receiver.deliver("n1", snapshot("p1", tick));
        }
        node.receiver.deliver("n1", new ToGateway.ToClient("p1", ("{\"type\":\"game_event\",\"tick\":5}")
                .getBytes(StandardCharsets.UTF_8), false, 5, -1));
        node.receiver.deliver("n1", snapshot("p1", 13));

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(m -> m.contains("\"tick\":13")));
        List<Long> ticks = seen.stream().filter(m -> m.contains("\"snapshot\"")).map(SnapshotTicksTest::tick)
                .toList();
        assertThat(ticks).containsExactly(10L, 12L, 13L);
        assertThat(seen).anyMatch(m -> m.contains("\"game_event\"")); // not a snapshot: never dropped for its tick
    }

    private static long tick(String message) {
        Matcher m = TICK.matcher(message);
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
