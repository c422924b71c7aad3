package io.worldmesh.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Vertx;
import io.worldmesh.api.CellRef;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.Directory;
import io.worldmesh.directory.LeaseOutcome;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.node.core.NodeCore;
import io.worldmesh.node.core.NodeCoreSettings;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.node.core.LeaseTerms;
import io.worldmesh.node.core.NodeLifecycle;
import io.worldmesh.node.http.HttpPeerClient;
import io.worldmesh.node.http.NodeHttpServer;
import io.worldmesh.node.tracing.NodeTracing;
import io.worldmesh.node.tracing.OtelNodeTracing;
import io.worldmesh.protocol.auth.AuthSettings;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.RequestSigner;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.link.WorldInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The composition root of one simulation node: its HTTP server (handover API, gateway links, metrics), its
 * registration in the directory, its world of the cells it is assigned, the core, and the thread that drives it.
 */
public final class NodeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeServer.class);
    /** The longest a start may spend taking back an earlier incarnation's players. */
    static final long RECONCILE_SECONDS = 60;

    private final NodeServerConfig config;
    private final NodeHttpServer http;
    private final HttpPeerClient peers;
    private final NodeRuntime runtime;
    private final Map<String, String> peerUrls = new ConcurrentHashMap<>();
    private final String baseUrl;
    private final long refreshTimer;
    /** Completes, with why, if the node stops of itself (its players were taken over while it could not renew). */
    private final CompletableFuture<String> stoppedByItself = new CompletableFuture<>();
    private volatile boolean closing;
    private final Vertx vertx;
    private final Directory directory;
    private final NodeEndpoint me;

    private NodeServer(Vertx vertx, Directory directory, NodeServerConfig config, PrometheusMeterRegistry registry,
                       OpenTelemetry otel) throws Exception {
        this.vertx = vertx;
        this.directory = directory;
        this.config = config;
        ClusterKeys keys = ClusterKeys.of(config.cluster().secret(), config.cluster().clusterId());
        this.http = new NodeHttpServer(vertx, config.nodeId(), registry, config.host(), config.port(), keys,
                AuthSettings.DEFAULTS, config.tls());
        int port = http.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        // What peers and gateways dial: https when this node serves TLS, which they must then trust.
        this.baseUrl = config.tls().httpScheme() + "://" + config.advertisedHost() + ":"
                + (config.advertisedPort() > 0 ? config.advertisedPort() : port);
        LeaseTerms lease;
        try {
            if (config.durability().leased()) {
                awaitNoLiveLease(directory, config); // before registering, which would point peers at this process
            }
            this.me = directory.registerNode(config.nodeId(), baseUrl).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            lease = config.durability().leased() ? takeLease(directory, config, me) : null;
        } catch (Exception e) {
            http.close(); // nothing else is started yet
            throw e;
        }
        refreshPeers(directory).get(10, TimeUnit.SECONDS);
        this.refreshTimer = vertx.setPeriodic(1000, t -> {
            refreshPeers(directory);
            watchForStop();
        });
        long period = TimeUnit.SECONDS.toMillis(1) / config.cluster().tickRateHz();
        long startTick = Math.max(0, (System.currentTimeMillis() - config.cluster().tick0Millis()) / period);
        List<CellRef> owned = config.assignment().cellsOf(config.nodeId());
        if (owned.isEmpty()) {
            // Its cells moved to a live node while it was down (rule 12); they come back only by an assignment.
            log.info("node {}: the cell assignment gives it no cells; it runs without players until one does",
                    config.nodeId());
        }
        World world = new World(config.world(), config.game(),
                new WorldPlacement(new HashSet<>(owned), startTick, me.incarnation()));
        NodeCore core = new NodeCore(new NodeCoreSettings(config.nodeId(), config.handover(),
                TimeUnit.SECONDS.toNanos(1) / config.cluster().tickRateHz(),
                config.durability().checkpointInterval().toNanos(), lease), world, config.assignment(),
                new HandoverTokens(config.cluster().secret()), config.crossNodeEnabled(),
                new SplittableRandom(new SecureRandom().nextLong()), // handover tokens must not be guessable
                worldInfo(config, world));
        this.peers = new HttpPeerClient(vertx, node -> Optional.ofNullable(peerUrls.get(node)),
                config.handover().prepareTimeout().toMillis(), new RequestSigner(keys, config.nodeId()), config.tls());
        NodeMetrics metrics = new NodeMetrics(registry, config.nodeId(), world, core::handoversInFlight);
        metrics.watchCore(core.counters());
        NodeTracing tracing = OtelNodeTracing.of(otel, config.nodeId(), config.handover());
        this.runtime = new NodeRuntime(core, directory, tracing.peers(peers), http, metrics,
                config.cluster().tick0Millis(), config.cluster().tickRateHz(), config.mailboxCapacity());
        runtime.traceWith(tracing);
        core.moveTo(NodeLifecycle.RECONCILING);
        if (lease == null) {
            core.moveTo(NodeLifecycle.RUNNING); // no lease, no checkpoints: nothing of an earlier start to take back
        }
        http.serve(runtime, config.benchHooks());
        runtime.start();
        if (lease != null) {
            try {
                reconcile(runtime, me.incarnation() - 1);
            } catch (Exception e) {
                close(); // what it restored so far is checkpointed, and the lease released
                throw e;
            }
        }
    }

    /**
     * Rule 11: takes back what this id's earlier incarnations still own (a crash, kill -9, left them the owners of
     * their players) and waits until the node runs. Incarnations are numbered across all starts of all nodes, so
     * every earlier one of this id is at most {@code previous}; none holds the lease, which this one took.
     */
    private static void reconcile(NodeRuntime runtime, long previous) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECONCILE_SECONDS);
        while (!runtime.offer(new NodeInput.Reconcile(previous))) {
            Thread.sleep(10);
        }
        while (runtime.inspect(NodeCore::lifecycle).get(10, TimeUnit.SECONDS) == NodeLifecycle.RECONCILING) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("still reconciling after " + RECONCILE_SECONDS + " s");
            }
            Thread.sleep(20);
        }
    }

    public static NodeServer start(Vertx vertx, Directory directory, NodeServerConfig config,
                                   PrometheusMeterRegistry registry) {
        return start(vertx, directory, config, registry, OpenTelemetry.noop());
    }

    /** A node whose handovers are traced with {@code otel} (its own, named for this node). */
    public static NodeServer start(Vertx vertx, Directory directory, NodeServerConfig config,
                                   PrometheusMeterRegistry registry, OpenTelemetry otel) {
        try {
            return new NodeServer(vertx, directory, config, registry, otel);
        } catch (Exception e) {
            throw new IllegalStateException("node " + config.nodeId() + " failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * Another live incarnation of this id (a second process, or this node's previous start whose lease has not run
     * out yet) is waited out for one TTL; if it still holds the lease then, this start fails without registering.
     */
    private static void awaitNoLiveLease(Directory directory, NodeServerConfig config) throws Exception {
        long giveUpAt = System.nanoTime() + config.durability().leaseTtl().toNanos() + TimeUnit.SECONDS.toNanos(2);
        Long holder;
        while ((holder = directory.leases().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .get(config.nodeId())) != null) {
            if (System.nanoTime() - giveUpAt > 0) {
                throw new IllegalStateException("the lease of node " + config.nodeId() + " is held by its incarnation "
                        + holder + ", which is still running");
            }
            log.info("node {}: incarnation {} still holds the lease; waiting for it to run out", config.nodeId(),
                    holder);
            Thread.sleep(Math.max(100, config.durability().leaseTtl().toMillis() / 10));
        }
    }

    /** The node's first lease hold; one that another start took first since {@link #awaitNoLiveLease} fails. */
    private static LeaseTerms takeLease(Directory directory, NodeServerConfig config, NodeEndpoint me)
            throws Exception {
        long sent = System.nanoTime();
        LeaseOutcome outcome = directory.holdLease(config.nodeId(), me.incarnation(), config.durability().leaseTtl())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        return switch (outcome) {
            case LeaseOutcome.Held h -> new LeaseTerms(me.incarnation(), config.durability().leaseTtl(), sent);
            case LeaseOutcome.HeldByOther other -> throw new IllegalStateException("the lease of node "
                    + config.nodeId() + " was taken by its incarnation " + other.incarnation()
                    + " while this one started");
            case LeaseOutcome.TakenOver t -> throw new IllegalStateException("node " + config.nodeId()
                    + " incarnation " + me.incarnation() + " was taken over"); // cannot be: a new one
        };
    }

    /**
     * A node whose players were taken over while it could not renew its lease never simulates again: this start is
     * over, and the process should end so that its supervisor starts it again as a new incarnation, which reconciles.
     */
    private void watchForStop() {
        if (closing || stoppedByItself.isDone()) {
            return;
        }
        runtime.inspect(NodeCore::lifecycle).thenAccept(l -> {
            if (l == NodeLifecycle.STOPPED && !closing) {
                stoppedByItself.complete("node " + config.nodeId() + " (incarnation " + me.incarnation()
                        + ") was taken over while it could not renew its lease; start it again to rejoin");
            }
        });
    }

    /** Completes, with the reason, when the node has stopped of itself; a clean {@link #close()} does not. */
    public CompletableFuture<String> stoppedByItself() {
        return stoppedByItself;
    }

    private CompletableFuture<Void> refreshPeers(Directory directory) {
        return directory.nodes().thenAccept(nodes -> nodes.forEach((id, ep) -> peerUrls.put(id, ep.baseUrl())))
                .toCompletableFuture();
    }

    static WorldInfo worldInfo(NodeServerConfig c, World world) {
        CellAssignment a = c.assignment();
        List<String> nodes = a.nodes();
        int[] owners = new int[c.world().cellsX() * c.world().cellsZ()];
        for (int cz = 0; cz < c.world().cellsZ(); cz++) {
            for (int cx = 0; cx < c.world().cellsX(); cx++) {
                owners[cz * c.world().cellsX() + cx] = nodes.indexOf(a.ownerOf(new CellRef(cx, cz)).orElseThrow());
            }
        }
        Map<String, Map<String, String>> actions = new LinkedHashMap<>();
        for (var spec : c.game().actions()) {
            Map<String, String> fields = new LinkedHashMap<>();
            spec.fields().forEach((name, type) -> fields.put(name, type.name().toLowerCase(Locale.ROOT)));
            actions.put(spec.name(), fields);
        }
        return new WorldInfo(c.nodeId(), c.game().name(), c.world().tickRateHz(), c.world().cellsX(),
                c.world().cellsZ(), c.world().cellSizeM(), c.world().maxSpeedMps(), actions,
                nodes.size() > 1 ? nodes : List.of(), nodes.size() > 1 ? owners : new int[0]);
    }

    public String nodeId() {
        return config.nodeId();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public NodeRuntime runtime() {
        return runtime;
    }

    public <T> CompletableFuture<T> inspect(Function<NodeCore, T> query) {
        return runtime.inspect(query);
    }

    /**
     * Stops the node. A leased node first stops simulating, writes a last cut of its ground and players and gives its
     * lease up, so that a clean stop (SIGTERM) loses nothing and nobody has to wait for the lease to run out.
     */
    @Override
    public void close() {
        closing = true;
        if (config.durability().leased()) {
            try {
                var last = runtime.inspect(core -> {
                    core.moveTo(NodeLifecycle.STOPPED);
                    return core.finalCut();
                }).get(5, TimeUnit.SECONDS);
                var written = directory.checkpoint(last).toCompletableFuture().get(5, TimeUnit.SECONDS);
                directory.releaseLease(config.nodeId(), me.incarnation()).toCompletableFuture().get(5, TimeUnit.SECONDS);
                log.info("node {} stopped: last checkpoint of {} players ({} fenced), lease released",
                        config.nodeId(), written.written(), written.fenced().size());
            } catch (Exception e) {
                log.warn("node {} stopped without its last checkpoint: {}", config.nodeId(), e.toString());
            }
        }
        vertx.cancelTimer(refreshTimer);
        List<AutoCloseable> parts = new ArrayList<>(List.of(runtime, http, peers));
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
