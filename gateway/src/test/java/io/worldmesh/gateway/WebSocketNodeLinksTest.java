package io.worldmesh.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.worldmesh.protocol.auth.AuthVerdict;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.LinkAuth;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.LinkDecoded;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.tls.SelfSignedCertificates;
import io.worldmesh.protocol.tls.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway's side of the link handshake against a node played by this test on a real Vert.x server: the gateway
 * answers the challenge before it sends anything, takes no frame from before its answer, and hangs up on a node
 * whose first message is not a challenge.
 */
class WebSocketNodeLinksTest {

    private static final ClusterKeys KEYS = ClusterKeys.of("0123456789abcdef-cluster".getBytes(StandardCharsets.UTF_8),
            "c1");

    private final Vertx vertx = Vertx.vertx();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    /** What the gateway sent the node, in order: "text:<verdict>" for text, the frame for binary. */
    private final Queue<Object> atNode = new ConcurrentLinkedQueue<>();
    private final Queue<ToGateway> atGateway = new ConcurrentLinkedQueue<>();
    private final Queue<String> queries = new ConcurrentLinkedQueue<>();
    /** "up" and "down" as the links told their receiver, in order. */
    private final Queue<String> linkEvents = new ConcurrentLinkedQueue<>();
    private WebSocketNodeLinks links;

    @AfterEach
    void stop() {
        if (links != null) {
            links.close();
        }
        vertx.close().await();
    }

    /** A node n1 that opens every link with {@code first}, given the link and its challenge's nonce. */
    private URI node(Handler<ServerWebSocket> first, byte[] nonce) throws Exception {
        return node(first, nonce, TlsFiles.NONE);
    }

    /** As above, serving TLS with {@code tls}'s certificate when it has one (its URL then https). */
    private URI node(Handler<ServerWebSocket> first, byte[] nonce, TlsFiles tls) throws Exception {
        LinkAuth auth = new LinkAuth(KEYS);
        HttpServer server = vertx.createHttpServer(tls.serverOptions(new HttpServerOptions())).webSocketHandler(ws -> {
            connections.incrementAndGet();
            queries.add(ws.query());
            ws.textMessageHandler(text -> {
                atNode.add("text:" + auth.check(text, "g1", "n1", nonce));
                ws.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(new ToGateway.EchoReply(2))));
            });
            ws.binaryMessageHandler(b -> {
                if (LinkCodec.decodeToNode(b.getBytes()) instanceof LinkDecoded.Ok<ToNode> ok) {
                    atNode.add(ok.frame());
                }
            });
            first.handle(ws);
        });
        int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
        return URI.create(tls.httpScheme() + "://127.0.0.1:" + port);
    }

    private void link(URI node) {
        link(node, TlsFiles.NONE);
    }

    private void link(URI node, TlsFiles tls) {
        links = new WebSocketNodeLinks(vertx, "g1", Map.of("n1", node), registry, KEYS, tls);
        links.connect(new NodeLinks.Receiver() {
            @Override
            public void deliver(String from, ToGateway frame) {
                atGateway.add(frame);
            }

            @Override
            public void linkUp(String node) {
                linkEvents.add("up:" + node);
            }

            @Override
            public void linkDown(String node) {
                linkEvents.add("down:" + node);
            }
        });
    }

    private double badFrames() {
        return registry.get("worldmesh.gateway.link.bad.frames").counter().count();
    }

    @Test
    void theGatewayAnswersFirstAndTakesNoFrameFromBeforeItsAnswer() throws Exception {
        byte[] nonce = new byte[LinkAuth.NONCE_BYTES];
        Arrays.fill(nonce, (byte) 3);
        link(node(ws -> {
            ws.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(new ToGateway.EchoReply(1)))); // before the challenge
            ws.writeTextMessage(LinkAuth.challenge(nonce));
        }, nonce));
        await().atMost(Duration.ofSeconds(10)).until(links::allOpen);
        assertThat(links.send("n1", new ToNode.Echo(5))).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> atNode.size() == 2 && !atGateway.isEmpty());
        assertThat(List.copyOf(atNode)).containsExactly("text:" + new AuthVerdict.Verified("g1"), new ToNode.Echo(5));
        assertThat(List.copyOf(atGateway)).containsExactly(new ToGateway.EchoReply(2));
        assertThat(badFrames()).isEqualTo(1);
        assertThat(queries).containsExactly("gateway=g1&incarnation=" + links.incarnation() + "&batch=1");
    }

    /**
     * An idle link stays up on its pings' answers; a link whose node goes silent (it stops reading: no pong comes,
     * as on a half-open connection) is given up after {@link WebSocketNodeLinks#SILENCE_MS} and dialled again.
     */
    @Test
    void anIdleLinkStaysUpAndASilentOneIsGivenUpAndDialledAgain() throws Exception {
        byte[] nonce = new byte[LinkAuth.NONCE_BYTES];
        URI node = node(ws -> ws.writeTextMessage(LinkAuth.challenge(nonce)), nonce);
        try (SilentRelay relay = new SilentRelay(node.getPort())) {
            link(URI.create("http://127.0.0.1:" + relay.port()));
            await().atMost(Duration.ofSeconds(10)).until(links::allOpen);
            Thread.sleep(WebSocketNodeLinks.SILENCE_MS + 1_000);
            assertThat(connections.get()).as("an idle link answered its pings and was kept").isEqualTo(1);

            relay.silence(); // half-open: no pong comes back, and no close either
            await().atMost(Duration.ofSeconds(20)).until(() -> connections.get() >= 2 && links.allOpen());
            assertThat(registry.get("worldmesh.gateway.link.silent").counter().count()).isEqualTo(1);
            assertThat(links.send("n1", new ToNode.Echo(9))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> atNode.contains(new ToNode.Echo(9)));
            assertThat(List.copyOf(linkEvents)).as("the routes hold inputs from the silence until the new link")
                    .containsExactly("up:n1", "down:n1", "up:n1");
        }
    }

    @Test
    void aNodeThatOpensWithSomethingElseIsHungUpOnAndDialledAgain() throws Exception {
        link(node(ws -> ws.writeTextMessage("hello"), new byte[LinkAuth.NONCE_BYTES]));
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.get() >= 2);
        assertThat(links.allOpen()).isFalse();
        assertThat(links.send("n1", new ToNode.Echo(5))).isFalse();
        assertThat(atNode).isEmpty();
        assertThat(badFrames()).isGreaterThanOrEqualTo(1);
        assertThat(linkEvents).as("a link never up is never reported down").isEmpty();
    }

    /** A node serving TLS is linked over wss when its certificate is trusted; the challenge is answered on top. */
    @Test
    void aTlsNodeIsLinkedWhenItsCertificateIsTrusted(@TempDir Path dir) throws Exception {
        TlsFiles tls = SelfSignedCertificates.localhost(dir);
        byte[] nonce = new byte[LinkAuth.NONCE_BYTES];
        URI node = node(ws -> ws.writeTextMessage(LinkAuth.challenge(nonce)), nonce, tls);
        assertThat(node.getScheme()).isEqualTo("https");
        link(node, TlsFiles.trusting(tls.trust()));
        await().atMost(Duration.ofSeconds(10)).until(links::allOpen);
        assertThat(links.send("n1", new ToNode.Echo(5))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> atNode.contains(new ToNode.Echo(5)));
        assertThat(atNode.peek()).isEqualTo("text:" + new AuthVerdict.Verified("g1"));
        assertThat(links.whyDown("n1")).isEmpty();
    }

    /** Without the trust setting the JVM's default store is used, which does not hold it: no link, and why. */
    @Test
    void aTlsNodeWhoseCertificateIsNotTrustedIsNeverLinkedAndTheGatewaySaysWhy(@TempDir Path dir)
            throws Exception {
        TlsFiles tls = SelfSignedCertificates.localhost(dir);
        byte[] nonce = new byte[LinkAuth.NONCE_BYTES];
        link(node(ws -> ws.writeTextMessage(LinkAuth.challenge(nonce)), nonce, tls), TlsFiles.NONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> links.whyDown("n1").isPresent());
        assertThat(links.whyDown("n1").get()).startsWith("TLS handshake failed")
                .contains("unable to find valid certification path");
        Thread.sleep(1_000); // dialled again meanwhile, and refused again
        assertThat(links.allOpen()).isFalse();
        assertThat(connections.get()).as("no WebSocket reached the node").isZero();
        assertThat(linkEvents).isEmpty();
    }
}
