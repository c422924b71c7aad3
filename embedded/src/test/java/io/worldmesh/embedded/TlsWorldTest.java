package io.worldmesh.embedded;

import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.Clients;
import io.worldmesh.client.GameConnection;
import io.worldmesh.client.ProtocolChecker;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.protocol.client.ServerMessage;
import io.worldmesh.protocol.tls.SelfSignedCertificates;
import io.worldmesh.protocol.tls.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A world whose gateway serves wss and whose nodes serve TLS only, each trusting one throwaway certificate: players
 * join over wss through the gateway's TLS links, and cross the border between two nodes by handovers over HTTPS;
 * a client that does not trust the certificate, or speaks plain ws to the wss port, gets no welcome.
 */
class TlsWorldTest {

    // Narrow cells so that the two stripes are close together and bots cross the node border within seconds.
    private static final WorldSettings NARROW = new WorldSettings(4, 2, 16.0, 20, 8.0, 1.0, 4, 6.0, 600, 5);

    @TempDir
    Path dir;

    private final Vertx clients = Vertx.vertx();

    @AfterEach
    void stop() {
        clients.close().await();
    }

    private EmbeddedWorld start(TlsFiles tls) {
        EmbeddedWorld.Config config = EmbeddedWorld.Config.forTests().withWorld(NARROW).withNodes(2)
                .withNodeTls(tls);
        return EmbeddedWorld.start(config.withGateway(config.gateway().withTls(tls)));
    }

    @Test
    void botsPlayOverWssAndAreHandedOverBetweenTlsNodes() throws Exception {
        TlsFiles tls = SelfSignedCertificates.localhost(dir);
        try (EmbeddedWorld world = start(tls)) {
            assertThat(world.wsUri().getScheme()).isEqualTo("wss");
            assertThat(world.httpUrl()).startsWith("https://");
            Map<String, NodeEndpoint> nodes = world.directory().nodes().toCompletableFuture().join();
            assertThat(nodes.values()).hasSize(2).allSatisfy(n -> assertThat(n.baseUrl()).startsWith("https://"));

            SwarmReport report = new BotSwarm(clients, SwarmOptions.of(world.wsUri(), 16, Duration.ofSeconds(6))
                    .withMaxGap(Duration.ofSeconds(3)).withTls(TlsFiles.trusting(tls.trust()))).run();
            WorldAudit audit = world.audit(report.playerIds());

            assertThat(report.connected()).isEqualTo(16);
            assertThat(report.errors()).as("errors: %s", report.sampleViolations()).isZero();
            assertThat(report.violations()).as("violations: %s", report.sampleViolations()).isZero();
            assertThat(report.crossNodeHandovers()).as("handovers over HTTPS between the nodes").isPositive();
            assertThat(report.inputsLost()).isZero();
            assertThat(audit.lostPlayers()).isZero();
            assertThat(audit.duplicateOwners()).isZero();
        }
    }

    @Test
    void onlyAClientThatTrustsTheCertificateAndSpeaksWssIsWelcomed() throws Exception {
        TlsFiles tls = SelfSignedCertificates.localhost(dir);
        try (EmbeddedWorld world = start(tls)) {
            URI wss = world.wsUri();
            URI ws = URI.create("ws://127.0.0.1:" + world.port() + "/ws");

            GameConnection trusted = open(Clients.webSocketClient(clients, TlsFiles.trusting(tls.trust())), wss);
            assertThat(trusted.welcome().playerId()).isNotBlank();
            ServerMessage.Snapshot first = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(trusted::lastSnapshot, s -> s != null);
            assertThat(first.tick()).isPositive();

            assertThatThrownBy(() -> open(Clients.webSocketClient(clients, TlsFiles.NONE), wss))
                    .as("the JVM's default trust store does not hold it").hasStackTraceContaining("PKIX");
            assertThatThrownBy(() -> open(Clients.webSocketClient(clients, TlsFiles.trusting(tls.trust())), ws))
                    .as("plain ws to the wss port").isNotNull();
            assertThat(world.gateway().connections()).isEqualTo(1);
        }
    }

    private GameConnection open(io.vertx.core.http.WebSocketClient client, URI url) throws Exception {
        return GameConnection.open(clients.getOrCreateContext(), client, url, "ana", null,
                new ProtocolChecker(TimeUnit.SECONDS.toNanos(3)), m -> { }, 5_000).await(10, TimeUnit.SECONDS);
    }
}
