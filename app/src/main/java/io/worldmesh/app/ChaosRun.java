package io.worldmesh.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.worldmesh.bench.NodeAudits;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.NodeEndpoint;
import io.worldmesh.engine.GameCatalog;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A chaos run over real processes: a {@link LocalCluster} (redis-server, nodes, gateways) with bots playing
 * through every gateway, and one fault injected at a time, every {@code every}, in turn from the kinds asked for.
 * Each fault is timed from its injection until every bot has had a snapshot again, then the cluster is put back as a
 * supervisor would (a killed process started again) and audited at a quiet moment.
 *
 * <p>The checks are independent of the nodes' own counters: what the bots saw (each input applied at most once,
 * their player kept across reconnects and recoveries, how far a recovery set them back), what the directory holds
 * (an owner for every player) and the nodes' audits at quiet moments (no player held by two nodes, the orbs).
 */
final class ChaosRun {

    /** How long one fault may take to heal before it is reported as not healed. */
    static final Duration HEAL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param length              how long the bots play; faults stop one {@code every} (at least 20 s) before its end
     * @param every               the time from one fault to the next (longer if a fault takes longer to heal)
     * @param faults              the kinds, injected in this order, round and round
     * @param leaseTtl            the nodes' lease
     * @param checkpointInterval  the nodes' checkpoint interval
     */
    record Settings(Duration length, int bots, Duration every, List<Fault> faults, Duration leaseTtl,
                    Duration checkpointInterval, int nodes, int gateways, String game) {

        Settings {
            faults = List.copyOf(faults);
            if (faults.isEmpty()) throw new IllegalArgumentException("no fault kinds to inject");
            if (bots < 1) throw new IllegalArgumentException("need at least one bot");
            if (nodes < 2) throw new IllegalArgumentException("chaos needs at least 2 nodes, so that one can take over");
            if (gateways < 1) throw new IllegalArgumentException("need at least one gateway");
        }
    }

    /**
     * One fault: what, on which process, when (from the start of play), how many bots it hit (those served by that
     * node; every bot for Redis; for a gateway, the bots that reconnected) and how long until every bot was served.
     */
    record Injected(int n, Fault kind, String target, long atMillis, int botsHit, long healedMillis) {
        boolean healed() {
            return healedMillis >= 0;
        }
    }

    /**
     * What the run came to.
     *
     * @param duplicateOwners  the most players held by two nodes at once in any quiet audit
     * @param lostPlayers      bots' players with no owner in the directory or held by no node at the end, plus those
     *                         that came back from a reconnect as a new player
     */
    record Result(Settings settings, List<Injected> faults, SwarmReport swarm, int lostPlayers, int duplicateOwners,
                  long orbsStart, long orbsEnd, int tickRateHz, int quietAudits, int audits) {
    }

    /** The network faults in turn; PASS stands for a reset of every connection, once. */
    private static final List<FaultProxy.Mode> NETWORK_MODES = List.of(FaultProxy.Mode.DROP, FaultProxy.Mode.HALF_OPEN,
            FaultProxy.Mode.DELAY, FaultProxy.Mode.PASS);

    private final Settings settings;
    private final PrintStream progress;
    private int networkFaults;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private int duplicateOwners;
    private int quietAudits;
    private int audits;

    private ChaosRun(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    static Result run(Settings settings, String redis, PrintStream childLog, PrintStream progress) throws Exception {
        return new ChaosRun(settings, progress).run(redis, childLog);
    }

    private Result run(String redis, PrintStream childLog) throws Exception {
        WorldOptions world = new WorldOptions();
        world.game = settings.game();
        List<String> nodeArgs = List.of("--lease-ttl", settings.leaseTtl().toMillis() + "ms",
                "--checkpoint-interval", settings.checkpointInterval().toMillis() + "ms");
        // A game that does not exist fails here, before any process starts.
        GameCatalog.onClasspath().create(settings.game());
        Vertx vertx = Vertx.vertx();
        boolean proxied = settings.faults().contains(Fault.NETWORK);
        try (LocalCluster cluster = LocalCluster.start("chaos", redis, settings.nodes(), settings.gateways(), 0, world,
                null, nodeArgs, "always", proxied, childLog)) {
            long orbsStart = ClusterCommand.orbs(audit(cluster).audits());
            // Snapshot gaps are what faults cause; the run's checks are the loss and duplicate fields, not gaps.
            BotSwarm swarm = new BotSwarm(vertx, SwarmOptions.of(cluster.gatewayUrls(), settings.bots(),
                    settings.length()).withMaxGap(HEAL_TIMEOUT).withProgress(progress));
            CompletableFuture<SwarmReport> playing = new CompletableFuture<>();
            Thread.ofPlatform().name("chaos-bots").start(() -> {
                try {
                    playing.complete(swarm.run());
                } catch (Throwable t) {
                    playing.completeExceptionally(t);
                }
            });
            long connecting = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a bot that fails is an error
            while (swarm.connectedCount() < settings.bots() && !playing.isDone() && System.nanoTime() < connecting) {
                Thread.sleep(100);
            }
            long start = System.nanoTime();
            List<Injected> faults = injectAll(cluster, swarm, start);
            SwarmReport report = playing.get(settings.length().toSeconds() + 120, TimeUnit.SECONDS);
            NodeAudits.Settled last = audit(cluster);
            int lost = lostPlayers(cluster, report, last.audits());
            return new Result(settings, faults, report, lost, duplicateOwners, orbsStart,
                    ClusterCommand.orbs(last.audits()), world.tickRate, quietAudits, audits);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private List<Injected> injectAll(LocalCluster cluster, BotSwarm swarm, long start) throws Exception {
        List<Injected> done = new ArrayList<>();
        long every = settings.every().toNanos();
        // The last fault leaves the bots time to be served again before they stop.
        long end = start + settings.length().toNanos() - Math.max(every, TimeUnit.SECONDS.toNanos(20));
        long next = start + every;
        for (int n = 1; next <= end; n++) {
            sleepUntil(next);
            Fault kind = settings.faults().get((n - 1) % settings.faults().size());
            Injected f = inject(n, kind, cluster, swarm, start);
            done.add(f);
            if (progress != null) {
                progress.printf("chaos: fault %d %s %s at %.1f s (%d bots hit): %s%n", n, kind.label(),
                        f.target(), f.atMillis() / 1000.0, f.botsHit(), f.healed() ? "every bot served again after " + f.healedMillis()
                                + " ms" : "NOT healed within " + HEAL_TIMEOUT.toSeconds() + " s");
            }
            audit(cluster); // a quiet moment after each fault: nobody held twice
            next = Math.max(next + every, System.nanoTime() + every / 2);
        }
        return done;
    }

    private Injected inject(int n, Fault kind, LocalCluster cluster, BotSwarm swarm, long start) throws Exception {
        long t0 = System.nanoTime();
        long at = TimeUnit.NANOSECONDS.toMillis(t0 - start);
        switch (kind) {
            case KILL_NODE -> {
                String node = nodeWithCells(cluster, n);
                int hit = swarm.playersOn(node);
                cluster.killNode(node);
                long healed = awaitHealed(swarm, t0, node, () -> { });
                cluster.restartIfExited(node); // its supervisor starts it again: it rejoins with nothing
                return new Injected(n, kind, node, at, hit, healed);
            }
            case STOP_NODE -> {
                String node = nodeWithCells(cluster, n);
                int hit = swarm.playersOn(node);
                cluster.pauseNode(node);
                long resumeAt = t0 + 2 * settings.leaseTtl().toNanos();
                boolean[] resumed = {false};
                Runnable carryOn = () -> {
                    if (!resumed[0] && System.nanoTime() - resumeAt >= 0) {
                        resumed[0] = true;
                        continueQuietly(cluster, node);
                    }
                };
                long healed = awaitHealed(swarm, t0, node, carryOn);
                while (!resumed[0]) {
                    Thread.sleep(50);
                    carryOn.run();
                }
                // Taken over while it hung, it ends by itself once it runs again; its supervisor starts it again.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (cluster.alive(node) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                cluster.restartIfExited(node);
                return new Injected(n, kind, node, at, hit, healed);
            }
            case KILL_GATEWAY -> {
                List<String> gateways = cluster.gatewayIds();
                String gateway = gateways.get((n - 1) / settings.faults().size() % gateways.size());
                long reconnectsBefore = swarm.reconnectsSoFar();
                cluster.killGateway(gateway);
                long dead = System.nanoTime(); // what it relayed before it died does not count
                long waited = awaitHealed(swarm, dead, null, () -> { });
                long healed = waited < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(dead - t0) + waited;
                int hit = (int) (swarm.reconnectsSoFar() - reconnectsBefore);
                cluster.restartGateway(gateway);
                return new Injected(n, kind, gateway, at, hit, healed);
            }
            case NETWORK -> {
                String node = nodeWithCells(cluster, n);
                int hit = swarm.playersOn(node);
                FaultProxy proxy = cluster.proxy(node);
                FaultProxy.Mode mode = NETWORK_MODES.get(networkFaults++ % NETWORK_MODES.size());
                Duration length = settings.leaseTtl().multipliedBy(2);
                switch (mode) {
                    case DELAY -> proxy.delay(Duration.ofMillis(300));
                    case DROP -> proxy.drop();
                    case HALF_OPEN -> proxy.halfOpen();
                    case PASS -> proxy.resetAll(); // a reset: once, nothing lasts
                }
                String what = mode == FaultProxy.Mode.PASS ? "reset" : mode.label() + " " + length.toSeconds() + " s";
                if (mode != FaultProxy.Mode.PASS) {
                    Thread.sleep(length.toMillis());
                    proxy.pass();
                }
                // Timed from the network's return: what the players see after it is back.
                long healed = awaitHealed(swarm, System.nanoTime(), null, () -> { });
                return new Injected(n, kind, node + " " + what, at, hit, healed);
            }
            case REDIS_DOWN -> {
                // Longer than every lease: the nodes hold their players frozen; timed from Redis's return, after
                // which the owners renew and nobody may be taken over (a takeover would show as recoveries).
                Duration down = settings.leaseTtl().multipliedBy(2);
                long recoveriesBefore = swarm.recoveriesSoFar();
                cluster.redisDownFor(down);
                long healed = awaitHealed(swarm, System.nanoTime(), null, () -> { });
                long takenOver = swarm.recoveriesSoFar() - recoveriesBefore;
                return new Injected(n, kind, LocalCluster.REDIS + " " + down.toSeconds() + " s"
                        + (takenOver > 0 ? ", " + takenOver + " recovered" : ""), at, settings.bots(), healed);
            }
            case RESTART_REDIS -> {
                cluster.restartRedis();
                long back = System.nanoTime();
                long healed = awaitHealed(swarm, back, null, () -> { });
                return new Injected(n, kind, LocalCluster.REDIS, at, settings.bots(),
                        healed < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(back - t0) + healed);
            }
        }
        throw new IllegalStateException("unknown fault " + kind);
    }

    private static void continueQuietly(LocalCluster cluster, String node) {
        try {
            cluster.continueNode(node);
        } catch (Exception e) {
            throw new IllegalStateException("SIGCONT to " + node + " failed", e);
        }
    }

    /**
     * Waits until every bot has had a snapshot after {@code since} from a node other than {@code gone} (null: any),
     * running {@code meanwhile} every 50 ms; the time it took in ms, or -1 after {@link #HEAL_TIMEOUT}.
     */
    private static long awaitHealed(BotSwarm swarm, long since, String gone, Runnable meanwhile)
            throws InterruptedException {
        long deadline = since + HEAL_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            meanwhile.run();
            if (swarm.playersNotServedSince(since, gone) == 0) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            }
            Thread.sleep(50);
        }
        return -1;
    }

    /** A live node that owns cells, in turn: the one whose loss is felt. */
    private String nodeWithCells(LocalCluster cluster, int n) throws Exception {
        CellAssignment a = read(() -> ClusterJoin.join(cluster.directory().assignment())).orElseThrow();
        List<String> owners = cluster.nodeIds().stream()
                .filter(id -> cluster.alive(id) && !a.cellsOf(id).isEmpty()).toList();
        if (owners.isEmpty()) {
            throw new IllegalStateException("no live node owns a cell; assignment " + a);
        }
        return owners.get(n % owners.size());
    }

    /** The live nodes' audits at a quiet moment; counts players held by two nodes in it. */
    private NodeAudits.Settled audit(LocalCluster cluster) throws Exception {
        Map<String, NodeEndpoint> endpoints = read(() -> ClusterJoin.join(cluster.directory().nodes()));
        List<URI> live = endpoints.values().stream().filter(e -> cluster.alive(e.nodeId()))
                .map(e -> URI.create(e.baseUrl())).toList();
        NodeAudits.Settled settled = NodeAudits.settle(http, live);
        audits++;
        if (settled.quiet()) {
            quietAudits++;
            Map<String, Integer> holders = new HashMap<>();
            for (JsonNode node : settled.audits()) {
                node.get("players").forEach(p -> holders.merge(p.asText(), 1, Integer::sum));
            }
            duplicateOwners = Math.max(duplicateOwners, (int) holders.values().stream().filter(c -> c > 1).count());
        }
        return settled;
    }

    private static int lostPlayers(LocalCluster cluster, SwarmReport report, List<JsonNode> audits)
            throws Exception {
        Set<String> held = new HashSet<>();
        audits.forEach(a -> a.get("players").forEach(p -> held.add(p.asText())));
        int lost = 0;
        for (String player : report.playerIds()) {
            if (!held.contains(player) || read(() -> ClusterJoin.join(cluster.directory().owner(player))).isEmpty()) {
                lost++;
            }
        }
        return lost + (int) (report.reconnects().playersLost() + report.reconnects().stillDown());
    }

    /**
     * A read of the directory by this checker, tried again for up to 20 s: its own connection to Redis comes back a
     * moment after a Redis restart, as the nodes' do.
     */
    private static <T> T read(java.util.function.Supplier<T> read) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return read.get();
            } catch (ClusterJoin.Refused e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
