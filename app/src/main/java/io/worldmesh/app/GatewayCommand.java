package io.worldmesh.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.Directory;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.directory.redis.RedisAuth;
import io.worldmesh.gateway.GatewayServer;
import io.worldmesh.gateway.GatewaySettings;
import io.worldmesh.gateway.WebSocketNodeLinks;
import io.worldmesh.gateway.tracing.TracedNodeLinks;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.tls.TlsFiles;
import io.worldmesh.telemetry.Telemetry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** The WebSocket gateway process: the page, /ws, /metrics, /health; it routes each player to its owning node. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Runs a WebSocket gateway for a cluster whose nodes are in the directory.",
                "It waits until the cluster's settings and cell assignment exist and every assigned node is registered."})
final class GatewayCommand implements Callable<Integer> {

    /** How long the gateway waits for its links to every node before it says it is up. */
    static final long LINKS_WAIT_SECONDS = 30;

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--directory", required = true, description = "The directory, e.g. redis://127.0.0.1:6379.")
    String directoryUri;

    @Option(names = "--wait", defaultValue = "60", description = "Seconds to wait for the directory and the cluster to be there "
            + "(default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    /** What the links trust dialling nodes whose URLs are https. */
    @Mixin
    TlsTrustOption linkTrust = new TlsTrustOption();

    @Override
    public Integer call() throws Exception {
        TlsFiles tls;
        try {
            tls = gateway.tls(linkTrust.trust);
        } catch (IllegalArgumentException e) {
            System.err.println("worldmesh gateway refuses to start: " + e.getMessage());
            return 2;
        }
        Directory directory;
        try {
            directory = ClusterJoin.connect(directoryUri, java.time.Duration.ofSeconds(waitSeconds), "gateway");
        } catch (RuntimeException e) {
            System.err.println("worldmesh gateway: cannot reach the directory at " + RedisAuth.redact(directoryUri) + ": "
                    + e.getMessage());
            return 2;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        ClusterSettings cluster;
        CellAssignment assignment;
        Map<String, URI> endpoints = new LinkedHashMap<>();
        while (true) {
            Optional<CellAssignment> a = ClusterJoin.join(directory.assignment());
            Map<String, NodeEndpoint> nodes = ClusterJoin.join(directory.nodes());
            if (a.isPresent() && nodes.keySet().containsAll(a.get().nodes())) {
                assignment = a.get();
                a.get().nodes().forEach(n -> endpoints.put(n, URI.create(nodes.get(n).baseUrl())));
                break;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("worldmesh gateway: no complete cluster in the directory after " + waitSeconds
                        + " s (assignment " + a.map(x -> "for " + x.nodes()).orElse("missing") + ", nodes "
                        + nodes.keySet() + ")");
                directory.close();
                return 2;
            }
            Thread.sleep(200);
        }
        // The secret is the cluster's: a token one gateway signs resumes on any other.
        cluster = ClusterJoin.join(directory.clusterSettings()).orElseThrow();
        Optional<byte[]> mine = ClusterJoin.secretFromEnvironment();
        if (mine.isPresent() && !java.util.Arrays.equals(mine.get(), cluster.secret())) {
            System.err.println("worldmesh gateway refuses to start: WORLDMESH_SECRET differs from the cluster's");
            directory.close();
            return 2;
        }
        GatewaySettings settings = gateway.settings().forCluster(cluster.secret(), cluster.clusterId())
                .withTls(tls);
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WebSocketNodeLinks links = new WebSocketNodeLinks(vertx, settings.gatewayId(), endpoints, registry,
                ClusterKeys.of(cluster.secret(), cluster.clusterId()), settings.tls());
        Telemetry telemetry = Telemetry.fromEnvironment("worldmesh-gateway");
        GatewayServer server = new GatewayServer(vertx, settings,
                TracedNodeLinks.of(links, telemetry.openTelemetry(), settings.gatewayId()), assignment, directory,
                registry);
        int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        // A node that starts again after a crash registers its new URL; the links' next dial goes there. A node that
        // died has its cells moved to another: new players go there, and a node that owns cells now but had none
        // when this gateway started (it took a dead node's cells) is linked to.
        vertx.setPeriodic(1000, t -> {
            directory.nodes().thenAccept(nodes -> links.updateEndpoints(urls(nodes)));
            directory.assignment().thenCombine(directory.nodes(), (a, nodes) -> {
                a.ifPresent(current -> {
                    Map<String, URI> owners = new LinkedHashMap<>(urls(nodes));
                    owners.keySet().retainAll(current.nodes());
                    links.linkTo(owners);
                    server.updateAssignment(current);
                });
                return null;
            });
        });
        // Up once it reaches every node: a player who says hello before would be refused ("cannot be reached").
        long linked = System.nanoTime() + TimeUnit.SECONDS.toNanos(LINKS_WAIT_SECONDS);
        while (!links.allOpen() && System.nanoTime() - linked < 0) {
            Thread.sleep(20);
        }
        if (!links.allOpen()) {
            System.err.println("worldmesh gateway: not every node's link is up after " + LINKS_WAIT_SECONDS
                    + " s; serving anyway (players for those nodes are refused until their link is up)");
        }
        System.out.println("gateway " + settings.gatewayId() + " up at " + tls.httpScheme() + "://"
                + settings.host() + ":" + port + "/ (WebSocket /ws" + (tls.serves() ? " over TLS" : "")
                + ") for nodes " + endpoints.keySet());
        System.out.flush();
        return UntilStopped.run(server, links, vertx::close, directory, telemetry);
    }

    /** Each node's base URL. */
    private static Map<String, URI> urls(Map<String, NodeEndpoint> nodes) {
        Map<String, URI> out = new LinkedHashMap<>();
        nodes.forEach((id, e) -> out.put(id, URI.create(e.baseUrl())));
        return out;
    }
}
