package io.worldmesh.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.Directory;
import io.worldmesh.directory.redis.RedisAuth;
import io.worldmesh.flags.WorldmeshFlags;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.node.NodeDurability;
import io.worldmesh.node.NodeServer;
import io.worldmesh.node.NodeServerConfig;
import io.worldmesh.node.NodeSettings;
import io.worldmesh.protocol.tls.TlsFiles;
import io.worldmesh.telemetry.Telemetry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** One simulation node process: its handover API, its gateway-link endpoint, /metrics and /health. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Runs a simulation node that owns the cells the directory assigns it.",
                "The first process of a cluster writes its settings (game, grid, tick rate, tick 0, secret) to the "
                        + "directory; a process whose own settings differ refuses to start and says which."})
final class NodeCommand implements Callable<Integer> {

    @Mixin
    WorldOptions world = new WorldOptions();

    @Option(names = "--id", required = true, description = "This node's name, e.g. n1.")
    String id;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--advertise", description = "Host that peers and gateways reach this node at "
            + "(default: the listen host).")
    String advertise;

    @Option(names = "--advertise-port", defaultValue = "0", description = "Port that peers and gateways reach this "
            + "node at, when a forwarder stands in between (default: the HTTP port).")
    int advertisePort;

    @Option(names = "--port", defaultValue = "0", description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--directory", required = true, description = "The directory, e.g. redis://127.0.0.1:6379.")
    String directoryUri;

    @Option(names = "--cluster-nodes", split = ",", description = "The nodes the grid is split between, in "
            + "stripes, when this process is the first to assign cells (default: this node alone).")
    List<String> clusterNodes;

    @Option(names = "--flags", description = "A flag file (flagd format) read live, e.g. config/flags.json; "
            + "without it cross-node-handover is on.")
    Path flags;

    @Option(names = "--wait", defaultValue = "60", description = "Seconds to wait for the directory to answer "
            + "(default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--bench-hooks", description = "Serve the benchmark-only endpoint POST /bench/handover "
            + "(used by bench cross-node); never in production. Without it the endpoint answers 403.")
    boolean benchHooks;

    @Option(names = "--lease-ttl", defaultValue = "5s", description = "How long each hold of this node's lease in "
            + "the directory lasts; renewed every third of it. A node that cannot renew stops simulating before it "
            + "runs out. One value for the whole cluster: a node given another refuses to start "
            + "(default: ${DEFAULT-VALUE}).")
    Duration leaseTtl;

    @Option(names = "--checkpoint-interval", defaultValue = "1s", description = "How often the node writes its "
            + "players' state to the session store, fenced by epoch (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    /** With a certificate, the node's HTTP server is TLS only and its URL https. */
    @Mixin
    TlsServerOptions tls = new TlsServerOptions();

    /** What the node trusts calling peers whose URLs are https. */
    @Mixin
    TlsTrustOption peerTrust = new TlsTrustOption();

    @Override
    public Integer call() throws Exception {
        TlsFiles tlsFiles;
        try {
            tlsFiles = tls.files(peerTrust.trust);
        } catch (IllegalArgumentException e) {
            System.err.println("worldmesh node " + id + " refuses to start: " + e.getMessage());
            return 2;
        }
        Directory directory;
        try {
            directory = ClusterJoin.connect(directoryUri, Duration.ofSeconds(waitSeconds), "node");
        } catch (RuntimeException e) {
            System.err.println("worldmesh node: cannot reach the directory at " + RedisAuth.redact(directoryUri) + ": "
                    + e.getMessage());
            return 2;
        }
        try {
            ClusterSettings cluster = ClusterJoin.settings(directory, world.gameChoice(), world.settings(), leaseTtl);
            CellAssignment assignment = ClusterJoin.assignment(directory, cluster,
                    clusterNodes == null ? List.of(id) : clusterNodes);
            WorldmeshFlags flag = flags == null ? WorldmeshFlags.fixed(true)
                    : WorldmeshFlags.fromFile(flags, Duration.ofSeconds(1));
            flag.onCrossNodeHandoverChange(c -> System.out.println("node " + id + ": cross-node-handover turned "
                    + (c.current() ? "on" : "off")));
            Vertx vertx = Vertx.vertx();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Telemetry telemetry = Telemetry.fromEnvironment("worldmesh-node-" + id);
            NodeServer server = NodeServer.start(vertx, directory, new NodeServerConfig(id, host, port,
                    advertise != null ? advertise : host, world.settings(), world.games().create(world.game),
                    cluster,
                    assignment, HandoverSettings.DEFAULTS, flag::crossNodeHandover,
                    NodeSettings.DEFAULTS.mailboxCapacity(), benchHooks,
                    new NodeDurability(leaseTtl, checkpointInterval), advertisePort, tlsFiles), registry,
                    telemetry.openTelemetry());
            System.out.println("node " + id + " up at " + server.baseUrl() + " owning "
                    + assignment.cellsOf(id).size() + " cells of " + cluster.cellsX() + "x" + cluster.cellsZ()
                    + " (game " + cluster.game() + ", cluster " + cluster.clusterId() + ")"
                    + (benchHooks ? "; benchmark hooks on" : ""));
            System.out.flush();
            return UntilStopped.run(server.stoppedByItself(), server, flag, vertx::close, directory, telemetry);
        } catch (ClusterJoin.Refused e) {
            System.err.println("worldmesh node " + id + " refuses to start: " + e.getMessage());
            directory.close();
            return 2;
        }
    }
}
