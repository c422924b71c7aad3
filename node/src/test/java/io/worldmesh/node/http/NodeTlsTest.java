package io.worldmesh.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.node.NodeDurability;
import io.worldmesh.node.NodeServer;
import io.worldmesh.node.OneCellNode;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.RequestSigner;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.tls.SelfSignedCertificates;
import io.worldmesh.protocol.tls.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A real node given a certificate: its URL is https and its HTTP server TLS only (a plain request is refused and it
 * serves on); peers call it over TLS when they trust the certificate and cannot when they do not; the HMAC checks
 * and the gateway link's challenge work on top exactly as without TLS.
 */
class NodeTlsTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final InMemoryDirectory directory = new InMemoryDirectory();
    private TlsFiles tls;
    private NodeServer node;
    private ClusterKeys keys;
    private HttpPeerClient peers;

    @BeforeEach
    void start() {
        tls = SelfSignedCertificates.localhost(dir);
        node = OneCellNode.start(vertx, directory, NodeDurability.NONE, tls);
        var s = directory.clusterSettings().toCompletableFuture().join().orElseThrow();
        keys = ClusterKeys.of(s.secret(), s.clusterId());
    }

    @AfterEach
    void stop() {
        if (peers != null) {
            peers.close();
        }
        node.close();
        vertx.close().await();
    }

    private HttpClient trusting() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .sslContext(TlsFiles.trusting(tls.trust()).sslContext()).build();
    }

    private HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void itAdvertisesHttpsAndRefusesPlainHttpWithoutHarm() throws Exception {
        URI base = URI.create(node.baseUrl());
        assertThat(base.getScheme()).isEqualTo("https");
        assertThat(get(trusting(), node.baseUrl() + "/health").body()).contains("\"status\":\"up\"");

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> get(plain, "http://127.0.0.1:" + base.getPort() + "/health"))
                .isInstanceOf(IOException.class);
        assertThat(get(trusting(), node.baseUrl() + "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aPeerTrustingTheCertificateCallsItOverTlsAndTheSignatureStillCounts() throws Exception {
        peers = new HttpPeerClient(vertx, id -> Optional.of(node.baseUrl()), 5_000, new RequestSigner(keys, "n2"),
                TlsFiles.trusting(tls.trust()));
        PeerReply signed = peers.call("n1", new PeerRequest.Abort("ghost", "no-such-token"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(signed).as("through the verifier to the protocol").isNotInstanceOf(PeerReply.Refused.class);

        HttpPeerClient forger = new HttpPeerClient(vertx, id -> Optional.of(node.baseUrl()), 5_000,
                new RequestSigner(ClusterKeys.of("another-cluster-secret".getBytes(StandardCharsets.UTF_8), "c"),
                        "n2"), TlsFiles.trusting(tls.trust()));
        try {
            assertThat(forger.call("n1", new PeerRequest.Abort("ghost", "no-such-token"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(PeerReply.Refused.class, r -> assertThat(r.status()).isEqualTo(401));
        } finally {
            forger.close();
        }
    }

    @Test
    void aPeerThatDoesNotTrustTheCertificateCannotCallIt() {
        peers = new HttpPeerClient(vertx, id -> Optional.of(node.baseUrl()), 5_000, new RequestSigner(keys, "n2"),
                TlsFiles.NONE);
        assertThatThrownBy(() -> peers.call("n1", new PeerRequest.Abort("ghost", "no-such-token"))
                .toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof SSLException));
    }

    @Test
    void aGatewayLinksOverWssAndAnswersTheChallengeOnTop() throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(TlsFiles.trusting(tls.trust())
                .clientOptions(new WebSocketClientOptions()));
        AtomicInteger frames = new AtomicInteger();
        WebSocket link = new ClusterPeer(keys).link(client, node, "g1", "&batch=1", b -> frames.incrementAndGet());
        assertThat(link.isSsl()).isTrue();
        link.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(new ToNode.Attach(1, "ana", null))));
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.get() > 0);
        assertThat(node.inspect(c -> c.world().playerCount()).join()).isEqualTo(1);
    }

    private static java.util.List<Throwable> causes(Throwable e) {
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.add(t);
        }
        return out;
    }
}
