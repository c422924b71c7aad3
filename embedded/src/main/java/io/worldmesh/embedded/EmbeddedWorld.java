package io.worldmesh.embedded;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Vertx;
import io.worldmesh.api.Game;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.directory.SettingsCheck;
import io.worldmesh.engine.EngineStats;
import io.worldmesh.engine.GameCatalog;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.gateway.GatewayServer;
import io.worldmesh.gateway.GatewaySettings;
import io.worldmesh.gateway.WebSocketNodeLinks;
import io.worldmesh.gateway.tracing.TracedNodeLinks;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.node.NodeServer;
import io.worldmesh.node.NodeServerConfig;
import io.worldmesh.node.NodeSettings;
import io.worldmesh.node.core.NodeCore;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.tls.TlsFiles;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The composition root of a cluster in one JVM: {@code nodes} simulation nodes, each with its own HTTP server on
 * loopback, sharing an in-memory directory, and a gateway linked to every node over WebSockets. Cross-node
 * handovers go over real HTTP, exactly as between processes; only the directory is in memory.
 */
public final class EmbeddedWorld implements AutoCloseable {

    /**
     * What to build. {@code checkInvariants}: check the game's invariants (after every tick with one node, at
     * quiet moments across nodes). {@code crossNode}: the {@code cross-node-handover} flag. {@code nodeTls}: what
     * the nodes' HTTP servers serve with (TLS only with a certificate) and trust calling each other; the gateway
     * serves with its settings' TLS, whose trust its links dial the nodes with.
     */
    public record Config(WorldSettings world, NodeSettings node, GatewaySettings gateway, String game,
                         boolean checkInvariants, int nodes, HandoverSettings handover, BooleanSupplier crossNode,
                         TlsFiles nodeTls, GameCatalog games) {

        public static Config defaults() {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            return new Config(WorldSettings.DEFAULTS, NodeSettings.DEFAULTS, GatewaySettings.defaults(secret),
                    GameCatalog.DEFAULT, false, 1, HandoverSettings.DEFAULTS, () -> true, TlsFiles.NONE,
                    GameCatalog.onClasspath());
        }

        /** Defaults on a free loopback port, with invariants checked: for tests. */
        public static Config forTests() {
            Config d = defaults();
            return new Config(d.world, d.node, d.gateway.withHost("127.0.0.1").withPort(0), d.game, true, 1,
                    d.handover, d.crossNode, d.nodeTls, d.games);
        }

        public Config withWorld(WorldSettings w) {
            return new Config(w, node, gateway, game, checkInvariants, nodes, handover, crossNode, nodeTls, games);
        }

        public Config withGateway(GatewaySettings g) {
            return new Config(world, node, g, game, checkInvariants, nodes, handover, crossNode, nodeTls, games);
        }

        /** Where {@link #game()} is found: by default the games on the classpath. */
        public Config withGames(GameCatalog c) {
            return new Config(world, node, gateway, game, checkInvariants, nodes, handover, crossNode, nodeTls, c);
        }

        public Config withGame(String g) {
            return new Config(world, node, gateway, g, checkInvariants, nodes, handover, crossNode, nodeTls, games);
        }

        public Config withInvariantChecks(boolean on) {
            return new Config(world, node, gateway, game, on, nodes, handover, crossNode, nodeTls, games);
        }

        public Config withNodes(int n) {
            return new Config(world, node, gateway, game, checkInvariants, n, handover, crossNode, nodeTls, games);
        }

        public Config withNodeTls(TlsFiles tls) {
            return new Config(world, node, gateway, game, checkInvariants, nodes, handover, crossNode, tls, games);
        }

        public Config withCrossNode(BooleanSupplier flag) {
            return new Config(world, node, gateway, game, checkInvariants, nodes, handover, flag, nodeTls, games);
        }
    }

    /** One node of the in-process cluster. */
    public static final class EmbeddedNode {
        private final NodeServer server;

        EmbeddedNode(NodeServer server) {
            this.server = server;
        }

        public String nodeId() {
            return server.nodeId();
        }

        /** Runs {@code query} on the node's simulation thread against its world. */
        public <T> CompletableFuture<T> inspect(Function<World, T> query) {
            return server.inspect(core -> query.apply(core.world()));
        }

        /** Runs {@code query} on the node's simulation thread against its core. */
        public <T> CompletableFuture<T> inspectCore(Function<NodeCore, T> query) {
            return server.inspect(query);
        }
    }

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final InMemoryDirectory directory = new InMemoryDirectory();
    private final List<EmbeddedNode> nodes = new ArrayList<>();
    private final GatewayServer gateway;
    private final WebSocketNodeLinks links;
    private final ClusterInvariants invariants;
    private final int port;
    /** The gateway's. */
    private final TlsFiles tls;

    private EmbeddedWorld(Config config, Function<String, OpenTelemetry> telemetry) {
        tls = config.gateway().tls();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        vertx = Vertx.vertx();
        WorldSettings w = config.world();
        Game probe = config.games().create(config.game());
        ClusterSettings cluster = new ClusterSettings(UUID.randomUUID().toString(), config.games().choice(probe.name()),
                w.cellsX(),
                w.cellsZ(), w.cellSizeM(), w.tickRateHz(), System.currentTimeMillis(), 0L, // its nodes hold no lease
                Base64.getEncoder().encodeToString(config.gateway().resumeSecret()));
        SettingsCheck check = directory.registerSettings(cluster, true).toCompletableFuture().join();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= config.nodes(); i++) {
            ids.add(config.nodes() == 1 ? config.node().nodeId() : "n" + i);
        }
        CellAssignment assignment = directory.proposeAssignment(
                CellAssignment.stripes(w.cellsX(), w.cellsZ(), ids)).toCompletableFuture().join();
        invariants = new ClusterInvariants(new InvariantMonitor(probe.invariants()));
        try {
            Map<String, URI> endpoints = new LinkedHashMap<>();
            for (String id : ids) {
                NodeServer server = NodeServer.start(vertx, directory, new NodeServerConfig(id, "127.0.0.1", 0,
                        "127.0.0.1", w, config.games().create(config.game()), check.cluster(), assignment, config.handover(),
                        config.crossNode(), config.node().mailboxCapacity()).withTls(config.nodeTls()), registry,
                        telemetry.apply("worldmesh-node-" + id));
                nodes.add(new EmbeddedNode(server));
                endpoints.put(id, URI.create(server.baseUrl()));
                if (config.checkInvariants() && config.nodes() == 1) {
                    server.runtime().afterTick(invariants::checkAlone);
                }
            }
            links = new WebSocketNodeLinks(vertx, config.gateway().gatewayId(), endpoints, registry,
                    ClusterKeys.of(check.cluster().secret(), check.cluster().clusterId()), config.gateway().tls());
            gateway = new GatewayServer(vertx, config.gateway().forCluster(check.cluster().secret(),
                    check.cluster().clusterId()), TracedNodeLinks.of(links, telemetry.apply("worldmesh-gateway"),
                    config.gateway().gatewayId()), assignment, directory, registry);
            port = gateway.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!links.allOpen()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway could not link to every node");
                }
                Thread.sleep(5); // start-up only: the links dial on the event loop
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the world failed to start on port " + config.gateway().port() + ": "
                    + e.getMessage(), e);
        }
        if (config.checkInvariants() && config.nodes() > 1) {
            invariants.checkQuietly(nodes);
        }
    }

    /** A world whose handovers are not traced. */
    public static EmbeddedWorld start(Config config) {
        return new EmbeddedWorld(config, service -> OpenTelemetry.noop());
    }

    /**
     * A world whose every node and gateway traces with its own OpenTelemetry, {@code telemetry} given the service's
     * name ({@code worldmesh-node-<id>}, {@code worldmesh-gateway}); the caller owns and closes them.
     */
    public static EmbeddedWorld start(Config config, Function<String, OpenTelemetry> telemetry) {
        return new EmbeddedWorld(config, telemetry);
    }

    public int port() {
        return port;
    }

    /** The page to open in a browser: https when the gateway serves TLS. */
    public String httpUrl() {
        return tls.httpScheme() + "://localhost:" + port + "/";
    }

    /** The client WebSocket: wss when the gateway serves TLS. */
    public URI wsUri() {
        return URI.create(tls.webSocketScheme() + "://127.0.0.1:" + port + "/ws");
    }

    /** The first node: with one node, the whole world. */
    public EmbeddedNode node() {
        return nodes.get(0);
    }

    public List<EmbeddedNode> nodes() {
        return List.copyOf(nodes);
    }

    public InMemoryDirectory directory() {
        return directory;
    }

    public Vertx vertx() {
        return vertx;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The invariant checks so far; safe to read from any thread. */
    public ClusterInvariants invariants() {
        return invariants;
    }

    public GatewayServer gateway() {
        return gateway;
    }

    /** Looks at every node's world: players lost or held twice, and orbs. Call it when play has stopped. */
    public WorldAudit audit(List<String> expectedPlayers) {
        List<WorldAudit> perNode = new ArrayList<>();
        Map<String, Integer> holders = new LinkedHashMap<>();
        for (EmbeddedNode n : nodes) {
            perNode.add(n.inspect(w -> {
                w.players().forEach(p -> holders.merge(p.id(), 1, Integer::sum));
                return WorldAudit.of(w, List.of());
            }).join());
        }
        int lost = (int) expectedPlayers.stream().filter(id -> !holders.containsKey(id)).count();
        int duplicates = (int) holders.values().stream().filter(c -> c > 1).count()
                + perNode.stream().mapToInt(WorldAudit::duplicateOwners).sum();
        long orbs = perNode.stream().mapToLong(WorldAudit::orbsTotal).sum();
        return new WorldAudit(holders.size(), lost, duplicates,
                perNode.stream().anyMatch(a -> a.orbsTotal() < 0) ? -1 : orbs);
    }

    /** Orbs in every node's world and inventories; -1 when the game is not the orb game. */
    public long orbsTotal() {
        return audit(List.of()).orbsTotal();
    }

    /** The engine's counts, summed over the nodes. */
    public EngineTotals engineTotals() {
        long applied = 0;
        long actions = 0;
        long local = 0;
        long arrived = 0;
        for (EmbeddedNode n : nodes) {
            EngineStats s = n.inspect(World::stats).join();
            applied += s.appliedInputs();
            actions += s.appliedActions();
            local += s.localHandovers();
            arrived += n.inspectCore(c -> c.counters().arrived()).join();
        }
        return new EngineTotals(applied, actions, local, arrived);
    }

    /**
     * Server-side counts over the cluster. {@code appliedActions}: game actions handed to the game;
     * {@code crossNodeHandovers}: players activated by a target.
     */
    public record EngineTotals(long appliedInputs, long appliedActions, long localHandovers,
                               long crossNodeHandovers) {
    }

    /** The game's own {@link io.worldmesh.api.Game#stats figures}, each summed over the nodes, by name. */
    public java.util.SortedMap<String, Long> gameStats() {
        java.util.SortedMap<String, Long> sums = new java.util.TreeMap<>();
        for (EmbeddedNode n : nodes) {
            n.inspect(w -> w.game().stats(w)).join().forEach((k, v) -> sums.merge(k, v, Long::sum));
        }
        return sums;
    }

    @Override
    public void close() {
        invariants.stop();
        if (gateway != null) {
            try {
                gateway.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        if (links != null) {
            links.close();
        }
        nodes.forEach(n -> n.server.close());
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
