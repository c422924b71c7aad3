package io.worldmesh.node.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.worldmesh.api.CellRef;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.engine.World;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.node.NodeServer;
import io.worldmesh.node.NodeServerConfig;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.RequestSigner;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.handover.PeerJson;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.PlayerState;
import io.worldmesh.protocol.handover.RejectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real node's handover API under hostile requests: each gets a 4xx with a JSON reason (or a typed REJECTED),
 * changes nothing (no reservation left behind, no player activated) and is counted; the node goes on serving. Most
 * come from a peer that holds the cluster secret; the last ones are not signed, or not rightly.
 */
class HandoverApiHostileInputTest {

    private static final byte[] SECRET = "0123456789abcdef-cluster".getBytes(StandardCharsets.UTF_8);
    private static final WorldSettings WORLD = WorldSettings.DEFAULTS.withGrid(4, 2);

    private Vertx vertx;
    private NodeServer node;
    private PrometheusMeterRegistry registry;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HandoverTokens tokens = new HandoverTokens(SECRET);

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InMemoryDirectory directory = new InMemoryDirectory();
        ClusterSettings cluster = new ClusterSettings("c", "orbs", 4, 2, WORLD.cellSizeM(), WORLD.tickRateHz(),
                System.currentTimeMillis(), 0L, Base64.getEncoder().encodeToString(SECRET));
        directory.registerSettings(cluster, true);
        CellAssignment assignment = CellAssignment.stripes(4, 2, List.of("n1", "n2"));
        node = NodeServer.start(vertx, directory, new NodeServerConfig("n2", "127.0.0.1", 0, "127.0.0.1", WORLD,
                new OrbGame(), cluster, assignment, HandoverSettings.DEFAULTS, () -> true, 1024), registry);
    }

    @AfterEach
    void stop() {
        node.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private HttpResponse<String> send(String path, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private double authRefused(String code) {
        return registry.get("worldmesh.auth.refused").tags("on", "request", "code", code).counter().count();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(new ClusterPeer(ClusterKeys.of(SECRET, "c")).post(node, "n1", path,
                body.getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(PeerRequest r) throws Exception {
        return post(PeerJson.path(r), new String(PeerJson.encode(r), StandardCharsets.UTF_8));
    }

    /** A PREPARE from n1 for a player entering cell (2,0), which n2 owns, signed with the cluster secret. */
    private PeerRequest.Prepare prepare(String player, byte[] secret) {
        CellRef from = new CellRef(1, 0);
        CellRef to = new CellRef(2, 0);
        long expires = System.currentTimeMillis() + 5_000;
        byte[] session = World.sessionSchemaOf(new OrbGame()).initial().encode();
        PlayerState state = new PlayerState(player, "ana", "#fff", 2 * WORLD.cellSizeM() + 1, 10, 8, 0, 0, 1, 0, 5,
                5, 0, 100, 1, session);
        String token = new HandoverTokens(secret).mint(UUID.randomUUID(), player, from, to, 1, expires);
        return new PeerRequest.Prepare(player, "n1", "n2", "g1", 3, from, to, state, token, expires, 1);
    }

    private double refused() {
        return registry.get("worldmesh.handover.requests.refused").counter().count();
    }

    private int reservations() {
        return node.inspect(core -> core.handoversInFlight()).join();
    }

    @Test
    void malformedUnknownAndOversizedRequestsAre4xxWithAReasonAndCounted() throws Exception {
        HttpResponse<String> notJson = post("/handover/prepare", "{nope");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("\"status\":\"REFUSED\"", "\"code\":\"malformed\"");
        HttpResponse<String> missing = post("/handover/commit", "{\"player_id\":\"p1\",\"handover_token\":\"t\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("epoch must be an integer");
        assertThat(post("/handover/explode", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> big = post("/handover/prepare", "{\"x\":\"" + "a".repeat(PeerJson.MAX_BODY_BYTES) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(refused()).isEqualTo(4);
        assertThat(reservations()).isZero();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aForgedTokenIsRejectedAndStagesNothing() throws Exception {
        PeerReply r = PeerJson.decodeReply(200, post(prepare("p9", "not-the-cluster-secret!".getBytes()))
                .body().getBytes());
        assertThat(r).isInstanceOf(PeerReply.Rejected.class);
        assertThat(((PeerReply.Rejected) r).reason()).isEqualTo(RejectReason.BAD_TOKEN);
        assertThat(reservations()).isZero();
    }

    @Test
    void aChangedStateFailsItsChecksumAndIsRejected() throws Exception {
        String body = new String(PeerJson.encode(prepare("p9", SECRET)), StandardCharsets.UTF_8)
                .replace("\"sequence\":5", "\"sequence\":6");
        PeerReply r = PeerJson.decodeReply(200, post("/handover/prepare", body).body().getBytes());
        assertThat(((PeerReply.Rejected) r).reason()).isEqualTo(RejectReason.CHECKSUM_MISMATCH);
        assertThat(reservations()).isZero();
    }

    @Test
    void aDuplicatePrepareGetsTheSameAnswerAndTheSameTokenWithAnotherBodyIs409() throws Exception {
        PeerRequest.Prepare p = prepare("p9", SECRET);
        assertThat(PeerJson.decodeReply(200, post(p).body().getBytes())).isEqualTo(new PeerReply.Reserved(p.token()));
        assertThat(PeerJson.decodeReply(200, post(p).body().getBytes())).isEqualTo(new PeerReply.Reserved(p.token()));
        assertThat(reservations()).isEqualTo(1);
        PeerRequest.Prepare other = new PeerRequest.Prepare(p.playerId(), p.sourceNode(), p.targetNode(),
                p.gatewayId(), p.connectionId() + 1, p.fromCell(), p.toCell(), p.state(), p.token(),
                p.expiresAtMillis(), p.epoch());
        HttpResponse<String> reused = post(other);
        assertThat(reused.statusCode()).isEqualTo(409);
        assertThat(reused.body()).contains("token_reused");
        assertThat(reservations()).isEqualTo(1);
    }

    @Test
    void outOfOrderStaleAndUnbackedCommitsAre409AndActivateNobody() throws Exception {
        HttpResponse<String> unknown = post(new PeerRequest.Commit("p9", "no-such-token", 2));
        assertThat(unknown.statusCode()).isEqualTo(409);
        assertThat(unknown.body()).contains("unknown_token");
        PeerRequest.Prepare p = prepare("p9", SECRET);
        post(p);
        HttpResponse<String> stale = post(new PeerRequest.Commit("p9", p.token(), 7));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("stale_epoch");
        // A COMMIT the directory does not back (nobody committed p9 to n2 at epoch 2): rule 4 refuses it.
        HttpResponse<String> unbacked = post(new PeerRequest.Commit("p9", p.token(), 2));
        assertThat(unbacked.statusCode()).isEqualTo(409);
        assertThat(unbacked.body()).contains("not_owner");
        assertThat(node.inspect(core -> core.world().player("p9").isPresent()).join()).isFalse();
        assertThat(reservations()).isZero();
    }

    @Test
    void theLinkRefusesAnythingButAGatewayWebSocket() throws Exception {
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/link?gateway=g1"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(400);
        HttpResponse<String> badId = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl()
                + "/link?gateway=%7B%7D")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(post("/handover/prepare", "").statusCode()).isEqualTo(400);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/handover/commit"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void unsignedForgedChangedMisdirectedAndStaleRequestsAre401WithTheirCodeCountedAndChangeNothing()
            throws Exception {
        PeerRequest.Prepare p = prepare("p9", SECRET);
        String path = PeerJson.path(p);
        byte[] body = PeerJson.encode(p);
        RequestSigner n1 = new RequestSigner(ClusterKeys.of(SECRET, "c"), "n1");
        long now = System.currentTimeMillis();
        byte[] other = PeerJson.encode(prepare("p10", SECRET));
        Map<String, Map<String, String>> attempts = new LinkedHashMap<>();
        attempts.put("unsigned", Map.of());
        attempts.put("bad_signature", new RequestSigner(ClusterKeys.of("not-the-cluster-secret!".getBytes(
                StandardCharsets.UTF_8), "c"), "n1").sign("POST", path, "n2", body, now));
        attempts.put("stale_timestamp", n1.sign("POST", path, "n2", body, now - 60_000));
        for (Map.Entry<String, Map<String, String>> a : attempts.entrySet()) {
            HttpResponse<String> r = send(path, body, a.getValue());
            assertThat(r.statusCode()).as(a.getKey()).isEqualTo(401);
            assertThat(r.body()).as(a.getKey()).contains("\"status\":\"REFUSED\"", "\"code\":\"" + a.getKey() + "\"",
                    "\"reason\":");
            assertThat(r.headers().firstValue("www-authenticate")).isPresent();
            assertThat(authRefused(a.getKey())).as(a.getKey()).isEqualTo(1);
        }
        // Signed for another body, or for another node: a bad signature as well.
        assertThat(send(path, other, n1.sign("POST", path, "n2", body, now)).body()).contains("bad_signature");
        assertThat(send(path, body, n1.sign("POST", path, "n3", body, now)).body()).contains("bad_signature");
        assertThat(authRefused("bad_signature")).isEqualTo(3);
        assertThat(reservations()).isZero();
        assertThat(refused()).as("nothing reached the handover protocol").isZero();

        assertThat(PeerJson.decodeReply(200, post(p).body().getBytes())).isEqualTo(new PeerReply.Reserved(p.token()));
        assertThat(reservations()).isEqualTo(1);
    }

    @Test
    void aReplayedRequestIsRefusedAndNeverReachesTheSimulation() throws Exception {
        PeerRequest.Prepare p = prepare("p9", SECRET);
        String path = PeerJson.path(p);
        byte[] body = PeerJson.encode(p);
        Map<String, String> signed = new RequestSigner(ClusterKeys.of(SECRET, "c"), "n1")
                .sign("POST", path, "n2", body, System.currentTimeMillis());
        assertThat(PeerJson.decodeReply(200, send(path, body, signed).body().getBytes()))
                .isEqualTo(new PeerReply.Reserved(p.token()));
        // Handled again, a duplicate PREPARE would be answered RESERVED again (it is idempotent); replayed, it is not.
        HttpResponse<String> replayed = send(path, body, signed);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("\"code\":\"replayed\"");
        assertThat(authRefused("replayed")).isEqualTo(1);
        assertThat(reservations()).isEqualTo(1);
        // The same message, signed anew, is served.
        assertThat(PeerJson.decodeReply(200, post(p).body().getBytes())).isEqualTo(new PeerReply.Reserved(p.token()));
    }
}
