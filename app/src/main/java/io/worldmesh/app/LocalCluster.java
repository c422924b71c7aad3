package io.worldmesh.app;

import io.worldmesh.directory.Directory;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.protocol.tls.TlsFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster of processes on this machine: redis-server from PATH on a free port, one child JVM per node and one per
 * gateway, their output forwarded line by line with a prefix. Every child is stopped on {@link #close()} and,
 * by a shutdown hook, when this process ends first (the children also end with their parent: {@link ParentWatch}).
 */
final class LocalCluster implements AutoCloseable {

    /** Children log one JSON object per line (with the handover token), unless the caller chose otherwise. */
    private static final Map<String, String> JSON_LOGS = Map.of("WORLDMESH_LOG_FORMAT", "JSON");


    /** The Debian package that has redis-server, for the message when it is missing. */
    static final String REDIS_PACKAGE = "redis-server";
    /** The name of the redis-server child. */
    static final String REDIS = "redis";

    private final List<ChildProcess> children = new ArrayList<>();
    /** How each node and gateway was started, by name, to start it again after a crash. */
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private PrintStream log;
    private final Thread stopper = Thread.ofPlatform().unstarted(this::stopChildren);
    private String directoryUri;
    private Directory directory;
    private Map<String, NodeEndpoint> endpoints;
    /** Each node's fault proxy, for a proxied cluster. */
    private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
    /** The gateways' ports, g1 first. */
    private final List<Integer> gatewayPorts = new ArrayList<>();
    private TlsFiles tls = TlsFiles.NONE;

    private LocalCluster() {
        Runtime.getRuntime().addShutdownHook(stopper);
    }

    /**
     * Starts redis-server (with {@code --appendfsync appendFsync}), {@code nodes} nodes n1..nN splitting the grid
     * in stripes, and a gateway g1 on {@code gatewayPort}, and waits until each is up.
     *
     * @param label     what the cluster's own lines start with, e.g. {@code cluster}
     * @param nodeArgs  extra arguments for every node, e.g. {@code --bench-hooks}
     * @param log       where the children's output goes
     */
    static LocalCluster start(String label, String redis, int nodes, int gatewayPort, WorldOptions world, Path flags,
                              List<String> nodeArgs, String appendFsync, PrintStream log) throws Exception {
        return start(label, redis, nodes, 1, gatewayPort, world, flags, nodeArgs, appendFsync, log);
    }

    /** As above, with {@code gateways} gateways g1..gN on {@code gatewayPort}, {@code gatewayPort + 1}, ... */
    static LocalCluster start(String label, String redis, int nodes, int gateways, int gatewayPort, WorldOptions world,
                              Path flags, List<String> nodeArgs, String appendFsync, PrintStream log) throws Exception {
        return start(label, redis, nodes, gateways, gatewayPort, world, flags, nodeArgs, appendFsync, false, log);
    }

    /**
     * As above; with {@code proxied}, every node is reached (by the gateways and the other nodes) through a
     * {@link FaultProxy} of its own, which {@link #proxy} hands out to break the network on demand.
     */
    static LocalCluster start(String label, String redis, int nodes, int gateways, int gatewayPort, WorldOptions world,
                              Path flags, List<String> nodeArgs, String appendFsync, boolean proxied, PrintStream log)
            throws Exception {
        return start(label, redis, nodes, gateways, gatewayPort, world, flags, nodeArgs, appendFsync, proxied,
                TlsFiles.NONE, log);
    }

    /**
     * As above; with a certificate in {@code tls}, every node and gateway serves TLS only with it (https nodes, wss
     * gateways) and trusts {@code tls}'s bundle.
     */
    static LocalCluster start(String label, String redis, int nodes, int gateways, int gatewayPort, WorldOptions world,
                              Path flags, List<String> nodeArgs, String appendFsync, boolean proxied, TlsFiles tls,
                              PrintStream log) throws Exception {
        if (gateways < 1) {
            throw new IllegalArgumentException("a cluster needs at least one gateway, was " + gateways);
        }
        LocalCluster c = new LocalCluster();
        try {
            c.startAll(label, redis, nodes, gateways, gatewayPort, world, flags, nodeArgs, appendFsync, proxied, tls,
                    log);
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    private void startAll(String label, String redis, int nodes, int gateways, int port, WorldOptions world,
                          Path flags, List<String> nodeArgs, String appendFsync, boolean proxied, TlsFiles tls,
                          PrintStream log) throws Exception {
        this.log = log;
        this.tls = tls;
        Path dir = Files.createTempDirectory("worldmesh-redis");
        int redisPort = freePort();
        commands.put(REDIS, List.of(redis, "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", appendFsync, "--dir", dir.toString()));
        ChildProcess redisProcess = startChild(REDIS);
        children.add(redisProcess);
        redisProcess.awaitReady(20);
        directoryUri = "redis://127.0.0.1:" + redisPort;
        log.println(label + ": redis-server at " + directoryUri + " (" + dir + ")");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            ids.add("n" + i);
        }
        for (String id : ids) {
            List<String> args = new ArrayList<>(List.of("node", "--id", id, "--directory", directoryUri,
                    "--cluster-nodes", String.join(",", ids), "--game", world.game,
                    "--cells-x", String.valueOf(world.cellsX), "--cells-z", String.valueOf(world.cellsZ),
                    "--cell-size", String.valueOf(world.cellSize), "--tick-rate", String.valueOf(world.tickRate),
                    "--hysteresis", String.valueOf(world.hysteresis), "--min-dwell", String.valueOf(world.minDwell),
                    "--seed", String.valueOf(world.seed)));
            world.gamePath().forEach(p -> args.addAll(List.of("--game-path", p.toAbsolutePath().toString())));
            args.addAll(world.gameOptArgs());
            if (flags != null) {
                args.addAll(List.of("--flags", flags.toAbsolutePath().toString()));
            }
            args.addAll(nodeArgs);
            args.addAll(tlsArgs(tls));
            if (proxied) {
                int nodePort = freePort();
                FaultProxy proxy = new FaultProxy(id, nodePort);
                proxies.put(id, proxy);
                args.addAll(List.of("--port", String.valueOf(nodePort), "--advertise-port",
                        String.valueOf(proxy.port())));
            }
            commands.put(id, ChildProcess.self(ChildProcess.NODE_JAVA_OPTS, args.toArray(String[]::new)));
            children.add(startChild(id));
        }
        for (ChildProcess c : children.subList(1, children.size())) {
            c.awaitReady(60);
        }
        int firstGateway = children.size();
        for (int g = 1; g <= gateways; g++) {
            String id = "g" + g;
            int gatewayPort = port == 0 ? freePort() : port + g - 1;
            List<String> args = new ArrayList<>(List.of("gateway", "--gateway-id", id, "--port",
                    String.valueOf(gatewayPort), "--host", "127.0.0.1", "--directory", directoryUri));
            args.addAll(tlsArgs(tls));
            commands.put(id, ChildProcess.self(ChildProcess.GATEWAY_JAVA_OPTS, args.toArray(String[]::new)));
            children.add(startChild(id));
            gatewayPorts.add(gatewayPort);
        }
        for (ChildProcess c : children.subList(firstGateway, children.size())) {
            c.awaitReady(60);
        }
        directory = ClusterJoin.connect(directoryUri, java.time.Duration.ofSeconds(60), label);
        endpoints = ClusterJoin.join(directory.nodes());
    }

    /** A node's or gateway's TLS options: its certificate and key, and what it trusts dialling the others. */
    private static List<String> tlsArgs(TlsFiles tls) {
        List<String> args = new ArrayList<>();
        if (tls.serves()) {
            args.addAll(List.of("--tls-cert", tls.certificate().toAbsolutePath().toString(),
                    "--tls-key", tls.key().toAbsolutePath().toString()));
        }
        if (tls.trust() != null) {
            args.addAll(List.of("--tls-trust", tls.trust().toAbsolutePath().toString()));
        }
        return args;
    }

    private ChildProcess startChild(String id) throws IOException {
        if (id.equals(REDIS)) {
            return ChildProcess.start(id, commands.get(id), Map.of(), log,
                    line -> line.contains("Ready to accept connections"));
        }
        String up = (id.startsWith("g") ? "gateway " : "node ") + id + " up";
        return ChildProcess.start(id, commands.get(id), JSON_LOGS, log, line -> line.startsWith(up));
    }

    /**
     * SIGSTOP to node {@code id}: it hangs with its sockets open, as in a long GC pause; past its lease, the others
     * take it over. {@link #continueNode} lets it go on.
     */
    void pauseNode(String id) throws Exception {
        child(id).pause();
    }

    /** SIGCONT to node {@code id} after {@link #pauseNode}. */
    void continueNode(String id) throws Exception {
        child(id).carryOn();
    }

    /**
     * Kills redis-server with SIGKILL and starts it again on its port and append-only file, as a crash and a
     * restart by its supervisor: with {@code appendfsync always} it has lost nothing it acknowledged.
     */
    void restartRedis() throws Exception {
        child(REDIS).kill();
        restart(REDIS, 30);
    }

    /** Kills redis-server with SIGKILL and starts it again on its append-only file only after {@code down}. */
    void redisDownFor(java.time.Duration down) throws Exception {
        child(REDIS).kill();
        Thread.sleep(down.toMillis());
        restart(REDIS, 30);
    }

    /** The fault proxy in front of node {@code id}; only in a cluster started proxied. */
    FaultProxy proxy(String id) {
        FaultProxy p = proxies.get(id);
        if (p == null) {
            throw new IllegalStateException("node " + id + " has no fault proxy (start the cluster proxied)");
        }
        return p;
    }

    /** Whether the child {@code id} (a node, a gateway, or {@code redis}) is running. */
    boolean alive(String id) {
        return child(id).alive();
    }

    /** The nodes' ids, n1 first. */
    List<String> nodeIds() {
        return commands.keySet().stream().filter(id -> id.startsWith("n")).toList();
    }

    /** The gateways' ids, g1 first. */
    List<String> gatewayIds() {
        return commands.keySet().stream().filter(id -> id.startsWith("g")).toList();
    }

    /** Kills node {@code id} with SIGKILL, as a crash would: no last checkpoint, its lease left to run out. */
    void killNode(String id) throws InterruptedException {
        child(id).kill();
    }

    /**
     * Starts node {@code id} again, as it was first started, and waits until it is up: it waits out its old lease,
     * then takes its players back (rule 11).
     */
    void restartNode(String id) throws Exception {
        restart(id, 90);
    }

    /**
     * Stops node {@code id} with SIGTERM, as an operator or Kubernetes does, and waits until it has exited: it writes
     * a last checkpoint and releases its lease first, so that its players move on with nothing rolled back.
     */
    void terminateNode(String id) {
        child(id).close();
    }

    /** Kills gateway {@code id} (g1, g2, ...) with SIGKILL: its clients' connections drop at once. */
    void killGateway(String id) throws InterruptedException {
        child(id).kill();
    }

    /** Starts gateway {@code id} again on its port, and waits until it is up. */
    void restartGateway(String id) throws Exception {
        restart(id, 60);
    }

    /** Starts the node or gateway {@code id} again if it has exited (as its supervisor would); true if it had. */
    boolean restartIfExited(String id) throws Exception {
        if (child(id).alive()) {
            return false;
        }
        restart(id, 90);
        return true;
    }

    private void restart(String id, int waitSeconds) throws Exception {
        ChildProcess old = child(id);
        if (old.alive()) {
            throw new IllegalStateException(id + " is still running");
        }
        ChildProcess again = startChild(id);
        children.set(children.indexOf(old), again);
        again.awaitReady(waitSeconds);
    }

    private ChildProcess child(String id) {
        return children.stream().filter(c -> c.name().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no child " + id));
    }

    /** redis-server on PATH, or null. */
    static String findRedis() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String directoryUri() {
        return directoryUri;
    }

    /** This process's own connection to the cluster's directory. */
    Directory directory() {
        return directory;
    }

    /** The nodes as registered in the directory, by id. */
    Map<String, NodeEndpoint> endpoints() {
        return endpoints;
    }

    /** The first gateway's port. */
    int gatewayPort() {
        return gatewayPorts.getFirst();
    }

    /** Every gateway's client WebSocket, g1 first: wss in a cluster that serves TLS. */
    List<java.net.URI> gatewayUrls() {
        return gatewayPorts.stream().map(p -> java.net.URI.create(tls.webSocketScheme() + "://127.0.0.1:" + p
                + "/ws")).toList();
    }

    /** What the cluster's nodes and gateways serve with and trust. */
    TlsFiles tls() {
        return tls;
    }

    /** The children that have exited, e.g. a node that crashed. */
    List<String> exited() {
        return children.stream().filter(c -> !c.alive()).map(ChildProcess::name).toList();
    }

    private void stopChildren() {
        children.reversed().forEach(ChildProcess::close);
    }

    @Override
    public void close() {
        if (directory != null) {
            directory.close();
        }
        stopChildren();
        proxies.values().forEach(FaultProxy::close);
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops the children itself
        }
    }
}
