package io.worldmesh.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that dies between taking a client's ATTACH and answering it: the link goes down, and no answer can come back
 * on it. The gateway refuses that client at once (an error, then close 1013 "try again later"), so that it retries,
 * instead of leaving it waiting for good (the crash simulator found clients that never played again).
 */
class AttachLinkDownTest {

    private final Vertx vertx = Vertx.vertx();
    private final WebSocketClient client = vertx.createWebSocketClient();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void anAttachLeftUnansweredWhenItsNodesLinkDropsIsRefusedAndTheClientTriesAgain() throws Exception {
        RecordingNodeLinks node = new RecordingNodeLinks();
        GatewayServer gateway = new GatewayServer(vertx, GatewaySettings.defaults(new byte[32]).withHost("127.0.0.1")
                .withPort(0).forCluster(new byte[32], "c1"), node, CellAssignment.stripes(1, 1, List.of("n1")),
                new InMemoryDirectory(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        int port = gateway.start().await(10, TimeUnit.SECONDS);

        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger closedWith = new AtomicInteger();
        WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws")).await(10, TimeUnit.SECONDS);
        ws.textMessageHandler(seen::add);
        ws.closeHandler(v -> closedWith.set(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode()));
        ws.writeTextMessage("{\"type\":\"hello\",\"v\":1,\"name\":\"ana\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> node.received.stream()
                .anyMatch(f -> f instanceof ToNode.Attach));

        node.receiver.linkDown("n1");

        await().atMost(Duration.ofSeconds(10)).until(() -> closedWith.get() != 0);
        assertThat(closedWith.get()).isEqualTo(1013);
        assertThat(seen).anySatisfy(m -> assertThat(m).contains("\"error\"").contains("went away before it answered"));
    }
}
