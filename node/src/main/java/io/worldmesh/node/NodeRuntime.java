package io.worldmesh.node;

import io.worldmesh.directory.Directory;
import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.TimerKey;
import io.worldmesh.node.core.NodeCore;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.node.tracing.NodeTracing;
import io.worldmesh.protocol.handover.PeerReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The thin driver around a {@link NodeCore}: one simulation thread that owns the core, one queue of inputs (bounded
 * for what gateways, peers and inspectors send; the answers to the node's own calls always fit), a timer queue, and
 * the cluster-wide
 * tick clock ({@code tick n} is due at {@code tick0 + n * period}; a node that falls behind skips tick numbers).
 * It carries out the core's effects through the transports; it decides nothing.
 */
public final class NodeRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);

    private record Timer(long atNanos, TimerKey key) {
    }

    /** Whoever replies to peer requests: the HTTP server, which holds the open responses. */
    @FunctionalInterface
    public interface PeerReplies {
        void reply(long requestId, PeerReply reply);
    }

    private final NodeCore core;
    private final Directory directory;
    private final PeerTransport peers;
    private final GatewayLinks links;
    private final NodeMetrics metrics;
    private final long tick0Millis;
    private final long periodNanos;
    /**
     * One queue for everything the simulation thread takes, so that any arrival wakes it at once. What gateways,
     * peers and inspectors send counts against {@code capacity} and is refused beyond it; the answers to this
     * node's own calls do not count and are never refused: the core bounds the calls it has outstanding.
     */
    private final LinkedBlockingQueue<NodeInput> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int capacity;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));
    private final Thread thread;
    private volatile PeerReplies replies = (id, r) -> { };
    private volatile Consumer<HandoverReport> reports = r -> { };
    private volatile Consumer<NodeCore> afterTick = c -> { };
    private volatile NodeTracing tracing = NodeTracing.OFF;
    private volatile boolean running;
    private final long wallOffsetNanos;

    public NodeRuntime(NodeCore core, Directory directory, PeerTransport peers, GatewayLinks links,
                       NodeMetrics metrics, long tick0Millis, int tickRateHz, int mailboxCapacity) {
        this.core = core;
        this.directory = directory;
        this.peers = peers;
        this.links = links;
        this.metrics = metrics;
        this.tick0Millis = tick0Millis;
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) / tickRateHz;
        this.capacity = mailboxCapacity;
        this.wallOffsetNanos = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis()) - System.nanoTime();
        this.thread = Thread.ofPlatform().name("simulation-" + core.nodeId()).unstarted(this::run);
        metrics.watchMailbox(waiting::get);
    }

    public String nodeId() {
        return core.nodeId();
    }

    public void onPeerReplies(PeerReplies r) {
        this.replies = r;
    }

    public void onReport(Consumer<HandoverReport> r) {
        this.reports = r;
    }

    /** Handover spans, made from the core's inputs and effects; set before {@link #start()}. */
    public void traceWith(NodeTracing t) {
        this.tracing = t;
    }

    public NodeTracing tracing() {
        return tracing;
    }

    /** Called on the simulation thread after every tick (invariant checks, tests). */
    public void afterTick(Consumer<NodeCore> observer) {
        this.afterTick = observer;
    }

    /** Hands an input to the simulation without blocking; false when the mailbox is full (the caller refuses it). */
    public boolean offer(NodeInput input) {
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            metrics.mailboxRejected.increment();
            return false;
        }
        inbox.add(input);
        return true;
    }

    /**
     * Runs {@code query} on the simulation thread between inputs; the way to look at the node from outside. It
     * counts against the mailbox like any input, and fails at once when the mailbox is full.
     */
    public <T> CompletableFuture<T> inspect(Function<NodeCore, T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!offer(new NodeInput.Query<>(query, result))) {
            result.completeExceptionally(new IllegalStateException("node " + core.nodeId() + " is busy"));
        }
        return result;
    }

    /**
     * Gateway {@code gatewayId}'s link passed its handshake: never refused, since a restored player's ROUTE goes only
     * to gateways the node has heard of this way. Bounded by the links the node accepts.
     */
    public void gatewayLinked(String gatewayId, long incarnation) {
        inbox.add(new NodeInput.GatewayLinked(gatewayId, incarnation));
    }

    /** Gateway {@code gatewayId}'s current link closed; never refused, like {@link #gatewayLinked}. */
    public void gatewayUnlinked(String gatewayId) {
        inbox.add(new NodeInput.GatewayUnlinked(gatewayId));
    }

    /** An answer to one of this node's own calls: never refused. */
    private void answer(NodeInput input) {
        inbox.add(input);
    }

    private static boolean counted(NodeInput input) {
        return !(input instanceof NodeInput.PeerAnswered || input instanceof NodeInput.PeerUnreachable
                || input instanceof NodeInput.DirectoryAnswered || input instanceof NodeInput.DirectoryFailed
                || input instanceof NodeInput.GatewayLinked || input instanceof NodeInput.GatewayUnlinked);
    }

    public NodeRuntime start() {
        running = true;
        thread.start();
        return this;
    }

    private long wallNanos(long nano) {
        return nano + wallOffsetNanos;
    }

    /** The monotonic time at which cluster tick {@code n} is due. */
    private long dueNanos(long n) {
        return TimeUnit.MILLISECONDS.toNanos(tick0Millis) + n * periodNanos - wallOffsetNanos;
    }

    private long currentTick(long nano) {
        return Math.floorDiv(wallNanos(nano) - TimeUnit.MILLISECONDS.toNanos(tick0Millis), periodNanos);
    }

    private void run() {
        long next = currentTick(System.nanoTime()) + 1;
        while (running) {
            try {
                drainUntil(dueNanos(next));
            } catch (InterruptedException e) {
                break;
            }
            long start = System.nanoTime();
            long tick = Math.max(next, currentTick(start));
            if (tick > next) {
                metrics.tickOverruns.increment(); // fell behind: skip tick numbers rather than bunch up
            }
            handle(new NodeInput.Tick(tick));
            metrics.tickDuration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            try {
                afterTick.accept(core);
            } catch (RuntimeException e) {
                log.error("tick observer failed", e);
            }
            next = tick + 1;
        }
    }

    private void drainUntil(long deadline) throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            Timer t;
            while ((t = timers.peek()) != null && t.atNanos <= now) {
                timers.poll();
                handle(new NodeInput.TimerFired(t.key));
            }
            if (now >= deadline) {
                return;
            }
            long wait = Math.min(deadline, timers.isEmpty() ? deadline : timers.peek().atNanos) - now;
            NodeInput in = inbox.poll(wait, TimeUnit.NANOSECONDS);
            int n = 0;
            while (in != null) {
                take(in);
                in = ++n < 4096 ? inbox.poll() : null; // then look at the clock again
            }
        }
    }

    private void take(NodeInput in) {
        if (counted(in)) {
            waiting.decrementAndGet();
        }
        handle(in);
    }

    private void handle(NodeInput input) {
        if (input instanceof NodeInput.GatewayLinked g) {
            links.activate(g.gatewayId());
        }
        List<NodeEffect> effects;
        long now = System.nanoTime();
        try {
            effects = core.handle(input, now, TimeUnit.NANOSECONDS.toMillis(wallNanos(now)));
        } catch (RuntimeException e) { // e.g. a game hook that throws on join or on an action
            log.error("node {} failed to handle {}; going on", core.nodeId(), input.getClass().getSimpleName(), e);
            return;
        }
        effects = tracing.observe(input, effects); // adds the trace context to HOLD and ROUTE frames
        for (NodeEffect effect : effects) {
            carryOut(effect);
        }
        links.flush(); // one write per gateway for all that this input gave it (a tick: every snapshot)
    }

    private void carryOut(NodeEffect effect) {
        switch (effect) {
            case NodeEffect.ToGatewayFrame f -> links.send(f.gatewayId(), f.frame());
            case NodeEffect.CallPeer c -> peers.call(c.node(), c.request()).whenComplete((reply, error) ->
                    answer(error == null ? new NodeInput.PeerAnswered(c.callId(), reply)
                            : new NodeInput.PeerUnreachable(c.callId(), String.valueOf(error.getMessage()))));
            case NodeEffect.ReplyPeer r -> replies.reply(r.requestId(), r.reply());
            case NodeEffect.CallDirectory d -> {
                try {
                    d.op().run(directory).whenComplete((result, error) ->
                            answer(error == null ? new NodeInput.DirectoryAnswered(d.opId(), result)
                                    : new NodeInput.DirectoryFailed(d.opId(), String.valueOf(error.getMessage()))));
                } catch (RuntimeException e) {
                    answer(new NodeInput.DirectoryFailed(d.opId(), String.valueOf(e.getMessage())));
                }
            }
            case NodeEffect.SetTimer t -> timers.add(new Timer(t.atNanos(), t.key()));
            case NodeEffect.Report r -> {
                metrics.handoverFinished(r.report());
                logReport(r.report());
                reports.accept(r.report());
            }
        }
    }

    /**
     * One line per handover, carrying its token (MDC {@code handover_token}): at INFO from its source, which saw it
     * from the freeze to the CLEANUP; the target's account is DEBUG.
     */
    private void logReport(HandoverReport r) {
        boolean usual = r.side() == io.worldmesh.handover.Side.TARGET;
        if (usual ? !log.isDebugEnabled() : !log.isInfoEnabled()) {
            return;
        }
        MDC.put("handover_token", r.token());
        MDC.put("player", r.playerId());
        tracing.ids(r.token()).ifPresent(ids -> {
            MDC.put("trace_id", ids.traceId());
            MDC.put("span_id", ids.spanId());
        });
        try {
            String line = "handover " + r.token() + " of " + r.playerId() + " ended on the " + r.side()
                    .name().toLowerCase(java.util.Locale.ROOT) + ": " + r.outcome() + " (" + r.reason() + ") in "
                    + micros(r.totalNanos()) + " us (prepare " + micros(r.prepareNanos()) + ", commit "
                    + micros(r.commitNanos()) + ", route " + micros(r.routeNanos()) + ")";
            if (usual) {
                log.debug(line);
            } else {
                log.info(line);
            }
        } finally {
            MDC.remove("handover_token");
            MDC.remove("player");
            MDC.remove("trace_id");
            MDC.remove("span_id");
        }
    }

    private static long micros(long nanos) {
        return nanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
