package io.worldmesh.node.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.node.NodeServer;
import io.worldmesh.node.NodeServerConfig;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.LinkDecoded;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /bench/handover} on two real nodes over HTTP, with this test as their gateway: it answers each ROUTE
 * with an ACK, so the handover runs to CLEANUP and the hook answers with the source's report.
 */
class BenchHooksTest {

    private static final WorldSettings SETTINGS = WorldSettings.DEFAULTS.withGrid(2, 2);

    private final Vertx vertx = Vertx.vertx();
    private final InMemoryDirectory directory = new InMemoryDirectory();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<NodeServer> nodes = new ArrayList<>();
    /** Held: Vert.x closes a WebSocket client nothing refers to, and its connections with it. */
    private final WebSocketClient links = vertx.createWebSocketClient();

    @AfterEach
    void stop() {
        nodes.forEach(NodeServer::close);
        vertx.close().await();
    }

    private NodeServer node(String id, boolean hooks) {
        ClusterSettings cluster = new ClusterSettings(UUID.randomUUID().toString(), "orbs", 2, 2, 64, 20,
                System.currentTimeMillis(), 0L, Base64.getEncoder().encodeToString(new byte[32]));
        ClusterSettings agreed = directory.registerSettings(cluster, true).toCompletableFuture().join().cluster();
        CellAssignment assignment = directory.proposeAssignment(CellAssignment.stripes(2, 2, List.of("n1", "n2")))
                .toCompletableFuture().join();
        NodeServer n = NodeServer.start(vertx, directory, new NodeServerConfig(id, "127.0.0.1", 0, "127.0.0.1",
                SETTINGS, new OrbGame(), agreed, assignment, HandoverSettings.DEFAULTS, () -> true, 1024, hooks),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        nodes.add(n);
        return n;
    }

    private HttpResponse<String> hook(NodeServer n, String player) throws Exception {
        return http.send(ClusterPeer.of(directory).post(n, "bench", "/bench/handover?player=" + player, new byte[0]),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A link as gateway g1 opens it: ACKs every ROUTE, and completes {@code attached} with the player's id. */
    private WebSocket link(NodeServer n, CompletableFuture<String> attached) throws Exception {
        WebSocket[] ws = new WebSocket[1];
        ws[0] = ClusterPeer.of(directory).link(links, n, "g1", "", b -> {
            if (LinkCodec.decodeToGateway(b.getBytes()) instanceof LinkDecoded.Ok<ToGateway> ok) {
                switch (ok.frame()) {
                    case ToGateway.Attached a -> attached.complete(a.playerId());
                    case ToGateway.Route r -> ws[0].writeBinaryMessage(Buffer.buffer(LinkCodec.encode(
                            new ToNode.RouteAck(r.playerId(), r.epoch()))));
                    default -> { }
                }
            }
        });
        return ws[0];
    }

    @Test
    void aNodeWithoutTheHooksRefusesThem() throws Exception {
        NodeServer n1 = node("n1", false);
        HttpResponse<String> r = hook(n1, "p1-1");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"bench_hooks_off\"");
    }

    @Test
    void anUnsignedHookIsRefusedBeforeItStartsAnything() throws Exception {
        NodeServer n1 = node("n1", true);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n1.baseUrl()
                + "/bench/handover?player=p1-1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"code\":\"unsigned\"");
        // Signed for another player than the one asked for: the query is signed too.
        HttpRequest signed = ClusterPeer.of(directory).post(n1, "bench", "/bench/handover?player=p1-1", new byte[0]);
        HttpRequest.Builder other = HttpRequest.newBuilder(URI.create(n1.baseUrl() + "/bench/handover?player=p1-2"))
                .POST(HttpRequest.BodyPublishers.noBody());
        signed.headers().map().forEach((name, values) -> values.forEach(v -> other.header(name, v)));
        HttpResponse<String> moved = http.send(other.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(moved.statusCode()).isEqualTo(401);
        assertThat(moved.body()).contains("\"code\":\"bad_signature\"");
    }

    @Test
    void handsAPlayerOverAndBackAndAnswersWithTheSourcesReport() throws Exception {
        NodeServer n1 = node("n1", true);
        NodeServer n2 = node("n2", true);
        CompletableFuture<String> attached = new CompletableFuture<>();
        WebSocket toN1 = link(n1, attached);
        link(n2, new CompletableFuture<>());
        toN1.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(new ToNode.Attach(1, "ann", null))));
        String player = attached.get(10, TimeUnit.SECONDS);

        // n1 learns n2's address from the directory within a second; until then a handover aborts, unreachable.
        HttpResponse<String> there = await().atMost(Duration.ofSeconds(10)).until(() -> hook(n1, player),
                r -> !r.body().contains("prepare_unreachable"));
        assertThat(there.statusCode()).isEqualTo(200);
        assertThat(there.body()).contains("\"target\":\"n2\"", "\"outcome\":\"COMMITTED\"", "\"reason\":\"committed\"")
                .doesNotContain("\"total_ns\":-1");
        HttpResponse<String> back = hook(n2, player);
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).contains("\"target\":\"n1\"", "\"outcome\":\"COMMITTED\"");

        HttpResponse<String> gone = hook(n2, player);
        assertThat(gone.statusCode()).isEqualTo(409);
        assertThat(gone.body()).contains("\"code\":\"not_started\"", "no player " + player);
    }
}
