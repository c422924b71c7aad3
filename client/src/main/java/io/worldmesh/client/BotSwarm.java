package io.worldmesh.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.worldmesh.protocol.client.ServerMessage;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Connects a swarm of random-walking bots to one or more gateways, lets them play, then settles and reports what
 * their checkers saw. A bot whose connection drops reconnects by itself and resumes its player
 * ({@link ResumingPlayer}). Prints a live progress line while it runs. Bots for a gateway on this machine connect from several
 * loopback addresses ({@link SourceAddresses}), so the gateway's per-address limit holds for them as for players.
 */
public final class BotSwarm {

    private static final int CONNECTS_IN_FLIGHT = 64;
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Vertx vertx;
    private final SwarmOptions options;
    private final LongAdder snapshots = new LongAdder();
    private final LongAdder cellChanges = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder inputs = new LongAdder();
    private final LongAdder actions = new LongAdder();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicBoolean firstFailureSaid = new AtomicBoolean();
    private final List<Bot> bots = new ArrayList<>();

    public BotSwarm(Vertx vertx, SwarmOptions options) {
        this.vertx = vertx;
        this.options = options;
    }

    /** Runs the whole swarm; blocks until it has played, settled and closed. */
    public SwarmReport run() throws InterruptedException {
        // Loopback or not: the gateways share hosts.
        SourceAddresses sources = new SourceAddresses(vertx, options.url(), options.tls());
        long start = System.nanoTime();
        Progress progress = new Progress(options.progress(), start);
        try {
            connectAll(sources, progress);
            long playStart = System.nanoTime();
            bots.forEach(b -> b.start(vertx));
            long end = playStart + options.duration().toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(250, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                progress.maybePrint(this);
            }
            bots.forEach(b -> b.stop(vertx));
            settle();
            double seconds = (System.nanoTime() - playStart) / 1e9;
            SwarmReport report = report(seconds);
            progress.finish(this);
            return report;
        } finally {
            List<Future<Void>> closing = new ArrayList<>();
            for (Bot b : bots) {
                closing.add(b.connection().close());
            }
            Future.join(closing).toCompletionStage().toCompletableFuture()
                    .completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
            sources.close();
        }
    }

    private void connectAll(SourceAddresses sources, Progress progress) throws InterruptedException {
        Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        List<URI> urls = options.urls().stream().map(sources::target).toList();
        List<CompletableFuture<Void>> attempts = new ArrayList<>();
        for (int i = 0; i < options.count(); i++) {
            inFlight.acquire();
            int n = i;
            CompletableFuture<Void> done = new CompletableFuture<>();
            attempts.add(done);
            ProtocolChecker checker = new ProtocolChecker(options.maxGap().toNanos());
            ResumingPlayer.join(vertx, sources.clientFor(i), urls, i, "bot-" + (i + 1), checker, this::count,
                            options.seed() * 7_919L + n)
                    .onComplete(ar -> {
                        inFlight.release();
                        if (ar.succeeded()) {
                            synchronized (bots) {
                                bots.add(new Bot(ar.result(), options.seed() * 1_000_003L + n, options.inputRateHz(),
                                        options.actionRateHz(), inputs::increment, actions::increment));
                            }
                            connected.incrementAndGet();
                        } else {
                            errors.increment();
                            firstFailure(urls.get(n % urls.size()), ar.cause());
                        }
                        done.complete(null);
                    });
            progress.maybePrint(this);
        }
        CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Says why the first bot that could not join failed (an untrusted certificate, a refused connection), once: the
     * others are counted as errors.
     */
    private void firstFailure(URI url, Throwable cause) {
        if (options.progress() == null || !firstFailureSaid.compareAndSet(false, true)) {
            return;
        }
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        options.progress().println("a bot could not join at " + url + ": " + cause.getMessage()
                + (root != cause && !String.valueOf(cause.getMessage()).contains(String.valueOf(root.getMessage()))
                ? ": " + root.getMessage() : "") + " (every bot that cannot is counted as an error)");
    }

    /**
     * Bots that have had no snapshot since {@code nanos} ({@link System#nanoTime()}), of those connected at the
     * start; callable from any thread while the swarm runs (e.g. to time how long a fault takes to heal).
     */
    public int playersWithoutSnapshotSince(long nanos) {
        return playersNotServedSince(nanos, null);
    }

    /**
     * Bots whose last snapshot is older than {@code nanos}, or came from {@code gone} (a node that died: what it sent
     * just before may still be on its way); callable from any thread while the swarm runs.
     */
    public int playersNotServedSince(long nanos, String gone) {
        synchronized (bots) {
            return (int) bots.stream().filter(b -> b.connection().lastSnapshotNanos() - nanos < 0
                    || (gone != null && gone.equals(b.connection().lastNode()))).count();
        }
    }

    /** Bots whose last snapshot came from {@code node}; callable from any thread. */
    public int playersOn(String node) {
        synchronized (bots) {
            return (int) bots.stream().filter(b -> node.equals(b.connection().lastNode())).count();
        }
    }

    /** Reconnections of every bot that got a welcome so far; callable from any thread. */
    public long reconnectsSoFar() {
        synchronized (bots) {
            return bots.stream().mapToLong(b -> b.connection().reconnectsSoFar()).sum();
        }
    }

    /** {@code recovered} events the bots' players were told so far (each a takeover or restore); any thread. */
    public long recoveriesSoFar() {
        List<ResumingPlayer> connections;
        synchronized (bots) {
            connections = bots.stream().map(Bot::connection).toList();
        }
        long n = 0;
        for (ResumingPlayer c : connections) {
            n += c.query(ProtocolChecker::recoveries).join(); // read on the connection's context
        }
        return n;
    }

    /** Bots connected so far. */
    public int connectedCount() {
        return connected.get();
    }

    private void count(ServerMessage msg) {
        switch (msg) {
            case ServerMessage.Snapshot s -> snapshots.increment();
            case ServerMessage.CellChange c -> cellChanges.increment();
            case ServerMessage.Error e -> errors.increment();
            default -> { }
        }
    }

    /** Waits until every bot's inputs are acknowledged, or the settle time is up. */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        while (System.nanoTime() < deadline) {
            long outstanding = 0;
            for (Bot b : bots) {
                if (b.connection().reconnections().join().down()) {
                    outstanding++; // reconnecting: its inputs resent after the resume are still to be acknowledged
                }
                outstanding += b.connection().query(ProtocolChecker::inputsUnacknowledged).join();
            }
            if (outstanding == 0) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private SwarmReport report(double seconds) {
        long sent = 0, applied = 0, lost = 0, dup = 0, snaps = 0, local = 0, cross = 0, errs = 0, viol = 0;
        long maxGap = 0;
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        List<String> ids = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        Map<String, Long> byKind = new TreeMap<>();
        long reconnects = 0, playersLost = 0, resent = 0, givenUp = 0, forGood = 0, down = 0;
        long recoveries = 0, ticksLost = 0, rolledBack = 0, maxRollback = 0;
        Histogram resume = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        for (Bot b : bots) {
            ResumingPlayer c = b.connection();
            ids.add(c.playerId());
            ResumingPlayer.Reconnections r = c.reconnections().join();
            reconnects += r.reconnects();
            playersLost += r.playersLost();
            resent += r.inputsResent();
            givenUp += r.inputsGivenUp();
            forGood += r.closedForGood();
            down += r.down() ? 1 : 0;
            resume.add(r.resumeNanos());
            // Read on the connection's context, where its checker lives.
            long[] v = c.query(x -> new long[] {x.inputsSent(), x.inputsApplied(), x.inputsUnacknowledged()
                    + x.inputsSkipped(), x.inputsDuplicated(), x.snapshots(), x.localHandovers(),
                    x.crossNodeHandovers(), x.errors(), x.violationCount(), x.maxGapNanos()}).join();
            sent += v[0];
            applied += v[1];
            lost += v[2];
            dup += v[3];
            snaps += v[4];
            local += v[5];
            cross += v[6];
            errs += v[7];
            viol += v[8];
            maxGap = Math.max(maxGap, v[9]);
            long[] rec = c.query(x -> new long[] {x.recoveries(), x.ticksLost(), x.inputsRolledBack(),
                    x.maxRollbackTicks()}).join();
            recoveries += rec[0];
            ticksLost += rec[1];
            rolledBack += rec[2];
            maxRollback = Math.max(maxRollback, rec[3]);
            c.query(x -> {
                latency.add(x.inputLatency());
                synchronized (byKind) {
                    x.violationsByKind().forEach((k, n) -> byKind.merge(k, n, Long::sum));
                }
                x.violations().stream().limit(3).forEach(vi -> {
                    synchronized (samples) {
                        if (samples.size() < 10) {
                            samples.add(c.playerId() + " " + vi.kind() + ": " + vi.detail());
                        }
                    }
                });
                return null;
            }).join();
        }
        long failedConnects = options.count() - bots.size();
        return new SwarmReport(options.count(), bots.size(), sent, actions.sum(), applied, lost, dup, snaps, local,
                cross,
                errs + failedConnects, viol, Map.copyOf(byKind), TimeUnit.NANOSECONDS.toMillis(maxGap), latency, List.copyOf(ids),
                List.copyOf(samples), seconds, new SwarmReport.Reconnects(reconnects, playersLost, resent, givenUp,
                forGood, down, resume), new SwarmReport.Recoveries(recoveries, ticksLost, rolledBack, maxRollback));
    }

    /** The live line: rates over the last interval, totals since the start. */
    private static final class Progress {
        private final java.io.PrintStream out;
        private final long start;
        private final boolean interactive = System.console() != null;
        private long lastAt;
        private long lastInputs;
        private long lastSnapshots;

        Progress(java.io.PrintStream out, long start) {
            this.out = out;
            this.start = start;
            this.lastAt = start;
        }

        void maybePrint(BotSwarm s) {
            long now = System.nanoTime();
            long interval = interactive ? TimeUnit.SECONDS.toNanos(1) : TimeUnit.SECONDS.toNanos(5);
            if (out == null || now - lastAt < interval) {
                return;
            }
            print(s, now, false);
        }

        void finish(BotSwarm s) {
            if (out != null) {
                print(s, System.nanoTime(), true);
            }
        }

        private void print(BotSwarm s, long now, boolean last) {
            long sentInputs = s.totalInputsSent();
            long snaps = s.snapshots.sum();
            double dt = Math.max(1e-9, (now - lastAt) / 1e9);
            String line = String.format("[%5.1fs] connected %d/%d | inputs/s %6.0f | snapshots/s %6.0f | "
                            + "cell changes %d | errors %d",
                    (now - start) / 1e9, s.connected.get(), s.options.count(), (sentInputs - lastInputs) / dt,
                    (snaps - lastSnapshots) / dt, s.cellChanges.sum(), s.errors.sum());
            lastAt = now;
            lastInputs = sentInputs;
            lastSnapshots = snaps;
            if (interactive) {
                out.print("\r" + line + (last ? "\n" : ""));
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    private long totalInputsSent() {
        return inputs.sum();
    }
}
