package io.worldmesh.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import io.worldmesh.protocol.tls.SelfSignedCertificates;
import io.worldmesh.protocol.tls.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A real gateway given a certificate serves its page and {@code /ws} over TLS only: a client that trusts the
 * certificate plays over {@code wss}, a plain {@code ws} connection or request to the same port is refused without
 * harm, a client that does not trust it cannot connect, the page's own {@code https} origin is let in, and a
 * connection that never finishes its handshake is dropped. The node is this test, behind the links interface.
 */
class GatewayTlsTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final RecordingNodeLinks node = new RecordingNodeLinks();
    private TlsFiles tls;
    private GatewayServer gateway;
    private int port;

    @BeforeEach
    void start() throws Exception {
        tls = SelfSignedCertificates.localhost(dir).checked();
        GatewaySettings settings = GatewaySettings.defaults(new byte[32]).withHost("127.0.0.1").withPort(0)
                .forCluster(new byte[32], "c1").withTls(tls);
        gateway = new GatewayServer(vertx, settings, node, CellAssignment.stripes(1, 1, List.of("n1")),
                new InMemoryDirectory(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        port = gateway.start().await(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        gateway.close();
        vertx.close().await();
    }

    private WebSocketClient client(TlsFiles trust) {
        return vertx.createWebSocketClient(trust.clientOptions(new WebSocketClientOptions()));
    }

    private WebSocketConnectOptions wss(String host) {
        return new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/ws").setSsl(true);
    }

    @Test
    void aClientTrustingTheCertificateIsWelcomedOverWss() throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        WebSocket ws = client(TlsFiles.trusting(tls.trust())).connect(wss("localhost")).await(10, TimeUnit.SECONDS);
        assertThat(ws.isSsl()).isTrue();
        ws.textMessageHandler(seen::add);
        ws.writeTextMessage("{\"type\":\"hello\",\"v\":1,\"name\":\"ana\"}");
        ToNode.Attach attach = (ToNode.Attach) await().atMost(Duration.ofSeconds(10))
                .until(() -> node.received.stream().filter(f -> f instanceof ToNode.Attach).findFirst().orElse(null),
                        f -> f != null);
        node.receiver.deliver("n1", new ToGateway.Attached(attach.connectionId(), "p1", false, 0, 1,
                new WorldInfo("n1", "orbs", 20, 1, 1, 64, 8, Map.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(m -> m.contains("\"welcome\"")));
        node.receiver.deliver("n1", new ToGateway.ToClient("p1",
                "{\"type\":\"snapshot\",\"tick\":7}".getBytes(StandardCharsets.UTF_8), true, 7, -1));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(m -> m.contains("\"tick\":7")));
    }

    @Test
    void plainConnectionsToTheTlsPortAreRefusedAndTheGatewayServesOn() throws Exception {
        WebSocketClient plain = vertx.createWebSocketClient();
        assertThatThrownBy(() -> plain.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws")).await(10, TimeUnit.SECONDS)).as("ws:// to a wss port").isNotNull();
        HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> jdk.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .as("http:// to an https port").isInstanceOf(java.io.IOException.class);

        HttpClient trusting = HttpClient.newBuilder().sslContext(TlsFiles.trusting(tls.trust()).sslContext()).build();
        HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                + "/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"up\"");
        HttpResponse<String> page = trusting.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                + "/")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() {
        assertThatThrownBy(() -> client(TlsFiles.NONE).connect(wss("localhost")).await(10, TimeUnit.SECONDS))
                .hasStackTraceContaining("PKIX");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.connections() == 0);
    }

    /** Its own page is https: that origin is let in, the same host's http page (another server) is not. */
    @Test
    void theOwnPagesHttpsOriginIsLetInAndAnHttpOneOfTheSameHostIsNot() throws Exception {
        WebSocketClient client = client(TlsFiles.trusting(tls.trust()));
        WebSocket own = client.connect(wss("localhost").putHeader("Origin", "https://localhost:" + port))
                .await(10, TimeUnit.SECONDS);
        assertThat(own.isClosed()).isFalse();
        assertThatThrownBy(() -> client.connect(wss("localhost").putHeader("Origin", "http://localhost:" + port))
                .await(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(UpgradeRejectedException.class,
                        e -> assertThat(e.getStatus()).isEqualTo(403));
    }

    /**
     * A connection that opens and never says its TLS hello is closed after the handshake timeout; meanwhile it is
     * no HTTP connection yet, so it holds none of its address's places.
     */
    @Test
    void aHandshakeThatNeverStartsIsDroppedAfterTheTimeout() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", port)) {
            silent.setSoTimeout((int) TlsFiles.HANDSHAKE_TIMEOUT.toMillis() + 5_000);
            long start = System.nanoTime();
            Thread.sleep(500);
            assertThat(gateway.addressesHeld()).isZero();
            InputStream in = silent.getInputStream();
            assertThat(in.read()).as("closed by the gateway").isEqualTo(-1);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waited).isBetween(TlsFiles.HANDSHAKE_TIMEOUT.toMillis() - 1_000,
                    TlsFiles.HANDSHAKE_TIMEOUT.toMillis() + 4_000);
        }
        try (Socket garbage = new Socket("127.0.0.1", port)) {
            garbage.setSoTimeout(5_000);
            OutputStream out = garbage.getOutputStream();
            out.write("GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(garbage.getInputStream().read()).as("plain HTTP: closed at once").isEqualTo(-1);
        }
    }
}
