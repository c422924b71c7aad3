package io.worldmesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.worldmesh.client.Clients;
import io.worldmesh.client.GameConnection;
import io.worldmesh.client.ProtocolChecker;
import io.worldmesh.client.SourceAddresses;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.LinkAuth;
import io.worldmesh.protocol.auth.RequestSigner;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Cross-node handovers under load, against a running cluster whose nodes serve the benchmark hook
 * ({@code node --bench-hooks}): real WebSocket clients through the gateway, handovers started through the hook so
 * that walking and the minimum dwell do not limit their rate. Phases: a warm-up with {@code inFlight} handovers in
 * flight, then one handover at a time, then {@code inFlight} at a time for a fixed time, then echoes through the
 * gateway interleaved with echoes straight on node links; at the end, where every player is.
 */
public final class CrossNodeBench {

    /**
     * @param players     clients to connect; enough that a player handed over has had its next snapshot before it
     *                    is needed again
     * @param sequential  handovers one at a time
     * @param echoes      pairs of echoes (gateway, link)
     * @param samplesCsv  where to write every handover of the two measured phases, or null
     */
    public record Config(int players, int inFlight, int sequential, Duration warmup, Duration concurrent,
                         int echoes, Path samplesCsv) {
    }

    private static final long CLIENT_GAP_BOUND_NANOS = TimeUnit.HOURS.toNanos(1); // gaps are measured, not judged
    private static final int CONNECTS_IN_FLIGHT = 64;
    private static final int ECHO_WARMUP = 200;
    /** Echoes per client stay well under the gateway's input rate limit (60/s), which they count against. */
    private static final long ECHO_SPACING_PER_CLIENT_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    private static final int MAX_PROBLEMS = 10;

    private final Config config;
    private final URI gateway;
    private final Map<String, URI> nodes;
    private final List<String> nodeIds;
    private final Progress progress;
    private final ClusterKeys keys;
    private final LinkedBlockingQueue<BenchPlayer> ready = new LinkedBlockingQueue<>();
    private final List<BenchPlayer> players = new ArrayList<>();
    private final Map<String, BenchPlayer> byId = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long clientErrors;

    /**
     * {@code gateway}: its WebSocket URL; {@code nodes}: each node's base URL by id; {@code keys}: the cluster's, which
     * the hook's requests are signed and the echo links' challenges answered with.
     */
    public CrossNodeBench(Config config, URI gateway, Map<String, URI> nodes, ClusterKeys keys, PrintStream progress) {
        this.config = config;
        this.gateway = gateway;
        this.nodes = new LinkedHashMap<>(nodes);
        this.nodeIds = List.copyOf(nodes.keySet());
        this.progress = new Progress(progress);
        this.keys = keys;
    }

    public CrossNodeResult run() throws Exception {
        Vertx vertx = Vertx.vertx();
        WebSocketClient ws = Clients.webSocketClient(vertx);
        // The players from several loopback addresses: the gateway holds each address to a few dozen connections.
        SourceAddresses sources = new SourceAddresses(vertx, gateway);
        HandoverHook hook = new HandoverHook(vertx, nodes, config.inFlight() + 8, new RequestSigner(keys, "bench"));
        progress.start();
        try {
            connectAll(vertx, sources);
            Map<String, LinkProbe> probes = new HashMap<>();
            for (Map.Entry<String, URI> n : nodes.entrySet()) {
                probes.put(n.getKey(), LinkProbe.open(vertx, ws, n.getValue(), n.getKey(), "bench-probe",
                        new LinkAuth(keys)).get(10, TimeUnit.SECONDS));
            }
            progress.phase("warm-up");
            Driven warm = drive(hook, config.inFlight(), config.warmup().toNanos(), Integer.MAX_VALUE);
            progress.phase("one at a time");
            Driven seq = drive(hook, 1, Long.MAX_VALUE, config.sequential());
            progress.phase(config.inFlight() + " in flight");
            Driven conc = drive(hook, config.inFlight(), config.concurrent().toNanos(), Integer.MAX_VALUE);
            progress.phase("echoes");
            Echoes echoes = echoes(probes);
            if (config.samplesCsv() != null) {
                Map<String, List<HandoverSample>> phases = new LinkedHashMap<>();
                phases.put("warm-up", warm.samples());
                phases.put("sequential", seq.samples());
                phases.put("concurrent", conc.samples());
                SamplesCsv.write(config.samplesCsv(), phases, byId);
            }
            progress.phase("audit");
            PlayerAudit.Outcome audit = PlayerAudit.of(nodes.values(),
                    players.stream().map(BenchPlayer::id).toList());
            progress.stop();
            probes.values().forEach(LinkProbe::close);
            return result(warm, seq, conc, echoes, audit);
        } finally {
            progress.stop();
            List<Future<Void>> closing = new ArrayList<>();
            players.forEach(p -> closing.add(p.connection().close()));
            Future.join(closing).toCompletionStage().toCompletableFuture()
                    .completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
            hook.close();
            vertx.close().toCompletionStage().toCompletableFuture().completeOnTimeout(null, 10, TimeUnit.SECONDS)
                    .join();
        }
    }

    private void connectAll(Vertx vertx, SourceAddresses sources) throws InterruptedException {
        URI url = sources.target(gateway);
        progress.phase("connecting");
        Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        List<CompletableFuture<BenchPlayer>> attempts = new ArrayList<>();
        for (int i = 1; i <= config.players(); i++) {
            inFlight.acquire();
            ProtocolChecker checker = new ProtocolChecker(CLIENT_GAP_BOUND_NANOS);
            BenchPlayer p = new BenchPlayer(nodeIds, ready::offer);
            CompletableFuture<BenchPlayer> done = new CompletableFuture<>();
            attempts.add(done);
            GameConnection.open(vertx, sources.clientFor(i), url, "bench-" + i, null, checker, p::onMessage)
                    .onComplete(c -> {
                        inFlight.release();
                        if (c.succeeded()) {
                            p.connected(c.result());
                            done.complete(p);
                        } else {
                            done.complete(null);
                            problem("connect failed: " + c.cause().getMessage());
                        }
                    });
        }
        for (CompletableFuture<BenchPlayer> a : attempts) {
            BenchPlayer p = a.join();
            if (p != null) {
                players.add(p);
                byId.put(p.id(), p);
            } else {
                clientErrors++;
            }
        }
        progress.connected(players.size());
    }

    /** The handovers of one phase, and the window they were started in. */
    private record Driven(List<HandoverSample> samples, long startNanos, long endNanos) {
    }

    /**
     * Keeps {@code inFlight} handovers going, each of a ready player, until {@code count} have started or
     * {@code durationNanos} have passed; then waits for the last ones to end.
     */
    private Driven drive(HandoverHook hook, int inFlight, long durationNanos, int count) throws InterruptedException {
        List<HandoverSample> samples = new ArrayList<>();
        Semaphore slots = new Semaphore(inFlight);
        long start = System.nanoTime();
        long end = durationNanos == Long.MAX_VALUE ? Long.MAX_VALUE : start + durationNanos;
        int started = 0;
        while (started < count && System.nanoTime() < end) {
            if (!slots.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                continue;
            }
            BenchPlayer p = ready.poll(10, TimeUnit.MILLISECONDS);
            if (p == null) {
                slots.release();
                continue;
            }
            started++;
            progress.started();
            hook.handOver(p.owner(), p.id()).thenAccept(s -> {
                synchronized (samples) {
                    samples.add(s);
                }
                progress.ended(s);
                if (!s.committed()) {
                    problem(s.playerId() + " from " + s.fromNode() + ": " + s.problem());
                }
                p.handoverEnded(s);
                slots.release();
            });
        }
        long stop = Math.min(end, System.nanoTime());
        if (!slots.tryAcquire(inFlight, 120, TimeUnit.SECONDS)) {
            problem((inFlight - slots.availablePermits()) + " handovers did not end within 120 s");
        }
        synchronized (samples) {
            return new Driven(List.copyOf(samples), start, stop);
        }
    }

    private record Echoes(Samples gateway, Samples link, Samples added, long lost) {
    }

    /** Pairs of echoes, alternating which goes first: through the gateway, and straight on the owner's link. */
    private Echoes echoes(Map<String, LinkProbe> probes) throws InterruptedException {
        Samples viaGateway = new Samples();
        Samples viaLink = new Samples();
        Samples added = new Samples();
        long lost = 0;
        if (players.isEmpty()) {
            return new Echoes(viaGateway, viaLink, added, 0);
        }
        long spacing = ECHO_SPACING_PER_CLIENT_NANOS / players.size();
        long last = 0;
        for (int i = 0; i < ECHO_WARMUP + config.echoes(); i++) {
            long wait = last + spacing - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            last = System.nanoTime();
            BenchPlayer p = players.get(i % players.size());
            LinkProbe probe = probes.get(p.owner());
            try {
                long g;
                long l;
                if (i % 2 == 0) {
                    g = p.connection().echo(i).get(1, TimeUnit.SECONDS);
                    l = probe.echo(i).get(1, TimeUnit.SECONDS);
                } else {
                    l = probe.echo(i).get(1, TimeUnit.SECONDS);
                    g = p.connection().echo(i).get(1, TimeUnit.SECONDS);
                }
                if (i >= ECHO_WARMUP) {
                    viaGateway.add(g);
                    viaLink.add(l);
                    added.add(g - l);
                    progress.echoed();
                }
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                lost++;
                problem("echo " + i + " of " + p.id() + " at " + p.owner() + " lost");
            }
        }
        return new Echoes(viaGateway, viaLink, added, lost);
    }

    private CrossNodeResult result(Driven warm, Driven seq, Driven conc, Echoes echoes, PlayerAudit.Outcome audit) {
        long handoverErrors = 0;
        for (Driven d : List.of(warm, seq, conc)) { // a handover that fails in the warm-up failed all the same
            handoverErrors += d.samples().stream().filter(s -> !s.committed()).count();
        }
        Samples gaps = new Samples();
        int[] unmeasured = {0};
        CrossNodeResult.Phase one = phase(seq, gaps, unmeasured);
        CrossNodeResult.Phase many = phase(conc, gaps, unmeasured);
        for (BenchPlayer p : players) {
            clientErrors += p.connection().query(c -> {
                c.violations().forEach(v -> problem(p.id() + " " + v.kind() + ": " + v.detail()));
                return c.errors() + c.violationCount();
            }).join();
        }
        long window = conc.endNanos() - conc.startNanos();
        long completed = conc.samples().stream().filter(s -> s.committed() && s.endNanos() <= conc.endNanos())
                .count();
        long busy = 0;
        for (HandoverSample s : conc.samples()) {
            busy += Math.max(0, Math.min(s.endNanos(), conc.endNanos()) - Math.max(s.startNanos(), conc.startNanos()));
        }
        double seconds = window / 1e9;
        List<String> shown;
        synchronized (problems) {
            shown = List.copyOf(problems);
        }
        return new CrossNodeResult(nodes.size(), config.players(), players.size(), one, many,
                config.inFlight(), seconds, seconds > 0 ? completed / seconds : 0,
                window > 0 ? (double) busy / window : 0, Dist.of(echoes.gateway(), 1e3), Dist.of(echoes.link(), 1e3),
                Dist.of(echoes.added(), 1e3), Dist.of(gaps, 1e6), unmeasured[0], handoverErrors, clientErrors,
                echoes.lost(), audit.lost(), audit.duplicated(), audit.settled(), shown);
    }

    /**
     * A phase's committed handovers; their clients' snapshot gaps also go to {@code allGaps}, and those that
     * cannot be measured count in {@code unmeasured[0]}.
     */
    private CrossNodeResult.Phase phase(Driven d, Samples allGaps, int[] unmeasured) {
        Samples prepare = new Samples();
        Samples commit = new Samples();
        Samples route = new Samples();
        Samples total = new Samples();
        Samples hook = new Samples();
        Samples gaps = new Samples();
        int committed = 0;
        for (HandoverSample s : d.samples()) {
            if (!s.committed()) {
                continue;
            }
            committed++;
            prepare.add(s.prepareNanos());
            commit.add(s.commitNanos());
            route.add(s.routeNanos());
            total.add(s.totalNanos());
            hook.add(s.endNanos() - s.startNanos());
            long gap = byId.get(s.playerId()).gapAround(s);
            if (gap < 0) {
                unmeasured[0]++;
            } else {
                gaps.add(gap);
                allGaps.add(gap);
            }
        }
        double seconds = (d.endNanos() - d.startNanos()) / 1e9;
        return new CrossNodeResult.Phase(committed, seconds > 0 ? committed / seconds : 0, Dist.of(prepare, 1e6),
                Dist.of(commit, 1e6), Dist.of(route, 1e6), Dist.of(total, 1e6), Dist.of(hook, 1e6),
                Dist.of(gaps, 1e6));
    }

    private void problem(String what) {
        synchronized (problems) {
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(what);
            }
        }
    }
}
