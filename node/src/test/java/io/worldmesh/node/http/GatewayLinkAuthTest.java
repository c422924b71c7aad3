package io.worldmesh.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.node.NodeDurability;
import io.worldmesh.node.NodeServer;
import io.worldmesh.node.OneCellNode;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.LinkAuth;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A real node's gateway links and their handshake: a link that does not answer the node's challenge rightly, and
 * first, gets no frame, has nothing it sends applied, is closed with 1008 and its reason, and is counted; it never
 * takes the place of the gateway's real link.
 */
class GatewayLinkAuthTest {

    private final Vertx vertx = Vertx.vertx();
    private final InMemoryDirectory directory = new InMemoryDirectory();
    /** Held: Vert.x closes a WebSocket client nothing refers to, and its connections with it. */
    private final WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(4 * LinkChallenges.MAX_UNANSWERED)); // more than the default 50 per host

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private NodeServer node;
    private LinkAuth auth;

    /** A link as the test sees it: the node's text messages, its frames, and the close code and reason. */
    private record Raw(WebSocket ws, BlockingQueue<String> texts, Queue<byte[]> frames, CompletableFuture<String> closed) {

        String challenge() throws InterruptedException {
            String c = texts.poll(10, TimeUnit.SECONDS);
            assertThat(c).as("the node's challenge").startsWith("worldmesh-link v1 challenge ");
            return c;
        }

        void send(ToNode frame) {
            ws.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(frame)));
        }
    }

    @BeforeEach
    void start() {
        node = OneCellNode.start(vertx, directory, NodeDurability.NONE);
        var s = directory.clusterSettings().toCompletableFuture().join().orElseThrow();
        auth = new LinkAuth(ClusterKeys.of(s.secret(), s.clusterId()));
    }

    @AfterEach
    void stop() {
        node.close();
        vertx.close().await();
    }

    private Raw open(String gateway) throws Exception {
        URI base = URI.create(node.baseUrl());
        BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        Queue<byte[]> frames = new ConcurrentLinkedQueue<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        // Handlers set on the event loop as the link opens: the node's challenge comes at once.
        WebSocket ws = client.connect(new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setURI("/link?gateway=" + gateway + "&batch=1")).onSuccess(w -> {
                    w.textMessageHandler(texts::add);
                    w.binaryMessageHandler(b -> frames.add(b.getBytes()));
                    w.closeHandler(v -> closed.complete(w.closeStatusCode() + " " + w.closeReason()));
                }).await(10, TimeUnit.SECONDS);
        return new Raw(ws, texts, frames, closed);
    }

    private int players() {
        return node.inspect(c -> c.world().playerCount()).join();
    }

    /** Read from the node's own {@code /metrics}. */
    private double refused(String code) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("worldmesh_auth_refused_total\\{code=\"" + code + "\",node=\"n1\",on=\"link\",?} "
                + "([0-9.]+)").matcher(metrics);
        assertThat(m.find()).as("worldmesh_auth_refused_total for %s in\n%s", code, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aWrongAnswerIsClosedWith1008AndNothingItSendsIsApplied() throws Exception {
        Raw link = open("g1");
        String challenge = link.challenge();
        LinkAuth wrongKey = new LinkAuth(ClusterKeys.of("not-the-cluster-secret!".getBytes(StandardCharsets.UTF_8),
                "c"));
        link.ws().writeTextMessage(wrongKey.answer(challenge, "g1", "n1").orElseThrow());
        link.send(new ToNode.Attach(1, "ana", null));
        assertThat(link.closed().get(10, TimeUnit.SECONDS)).startsWith("1008 bad_signature");
        assertThat(link.frames()).isEmpty();
        assertThat(players()).isZero();
        assertThat(refused("bad_signature")).isEqualTo(1);
    }

    @Test
    void aFrameBeforeTheAnswerIsClosedWith1008AndNotApplied() throws Exception {
        Raw link = open("g1");
        link.challenge();
        link.send(new ToNode.Attach(1, "ana", null));
        assertThat(link.closed().get(10, TimeUnit.SECONDS)).startsWith("1008 unsigned");
        assertThat(link.frames()).isEmpty();
        assertThat(players()).isZero();
        assertThat(refused("unsigned")).isEqualTo(1);
    }

    @Test
    void anAnswerIsGoodOnItsOwnLinkOnly() throws Exception {
        Raw first = open("g1");
        String answer = auth.answer(first.challenge(), "g1", "n1").orElseThrow();
        Raw second = open("g1");
        second.challenge();
        second.ws().writeTextMessage(answer);
        assertThat(second.closed().get(10, TimeUnit.SECONDS)).startsWith("1008 bad_signature");

        first.ws().writeTextMessage(answer);
        first.send(new ToNode.Attach(1, "ana", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.frames().isEmpty());
        assertThat(players()).isEqualTo(1);
        assertThat(first.closed()).isNotDone();
        assertThat(second.frames()).isEmpty();
    }

    @Test
    void aLinkThatDoesNotAnswerIsClosedAfterTheTimeout() throws Exception {
        Raw link = open("g1");
        link.challenge();
        assertThat(link.closed().get(15, TimeUnit.SECONDS)).startsWith("1008 no_answer");
        assertThat(link.frames()).isEmpty();
        assertThat(refused("no_answer")).isEqualTo(1);
    }

    @Test
    void aRefusedLinkDoesNotReplaceTheGatewaysOwn() throws Exception {
        AtomicInteger frames = new AtomicInteger();
        WebSocket real = ClusterPeer.of(directory).link(client, node, "g1", "&batch=1", b -> frames.incrementAndGet());
        real.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(new ToNode.Attach(1, "ana", null))));
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.get() > 0);

        Raw forged = open("g1");
        forged.ws().writeTextMessage("worldmesh-link v1 answer " + "A".repeat(43));
        assertThat(forged.closed().get(10, TimeUnit.SECONDS)).startsWith("1008 bad_signature");
        int before = frames.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.get() > before + 2); // snapshots go on coming
        assertThat(real.isClosed()).isFalse();
        assertThat(players()).isEqualTo(1);
    }

    @Test
    void atTheBoundOfUnansweredLinksANewOneIsRefusedWith503UntilOneGoes() throws Exception {
        List<Raw> waiting = new ArrayList<>();
        for (int i = 0; i < LinkChallenges.MAX_UNANSWERED; i++) {
            Raw link = open("g" + i);
            link.challenge();
            waiting.add(link);
        }
        assertThatThrownBy(() -> open("late")).satisfies(e -> {
            Throwable t = e;
            while (!(t instanceof UpgradeRejectedException) && t.getCause() != null) {
                t = t.getCause();
            }
            assertThat(t).isInstanceOf(UpgradeRejectedException.class);
            assertThat(((UpgradeRejectedException) t).getStatus()).isEqualTo(503);
        });
        assertThat(refused("busy")).isEqualTo(1);

        waiting.getLast().ws().close(); // its place is given back
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                open("late").challenge();
                return true;
            } catch (Exception | AssertionError e) {
                return false;
            }
        });
    }
}
