package io.worldmesh.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.worldmesh.api.ActionSpec;
import io.worldmesh.api.Game;
import io.worldmesh.engine.CellChange;
import io.worldmesh.engine.InputOutcome;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.SnapshotEncoder;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldListener;
import io.worldmesh.protocol.client.ErrorCode;
import io.worldmesh.protocol.client.ServerMessages;
import io.worldmesh.protocol.json.JsonOut;
import io.worldmesh.protocol.link.GatewaySink;
import io.worldmesh.protocol.link.SimulationLink;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A simulation node: one thread owns the world and runs its fixed-rate tick. Gateways hand it frames through a
 * bounded mailbox, which it drains as they arrive between ticks; it sends snapshots and events back through the
 * {@link GatewaySink}. Nothing but the simulation thread touches the world.
 */
public final class SimulationNode implements SimulationLink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulationNode.class);

    private final NodeSettings settings;
    private final World world;
    private final BlockingQueue<Object> mailbox;
    private final SnapshotEncoder encoder;
    private final NodeMetrics metrics;
    private final WorldInfo info;
    private final List<Consumer<World>> tickObservers = new CopyOnWriteArrayList<>();
    /** Which gateway connection each connected player is on; simulation thread only. */
    private final Map<String, Long> connections = new HashMap<>();
    private final Thread thread;
    private volatile GatewaySink sink = frame -> { };
    private volatile boolean running;

    public SimulationNode(NodeSettings settings, World world, MeterRegistry registry) {
        this.settings = settings;
        this.world = world;
        this.mailbox = new ArrayBlockingQueue<>(settings.mailboxCapacity());
        this.encoder = new SnapshotEncoder(settings.nodeId());
        this.metrics = new NodeMetrics(registry, settings.nodeId(), world, mailbox::size);
        this.info = new WorldInfo(settings.nodeId(), world.game().name(), world.settings().tickRateHz(),
                world.settings().cellsX(), world.settings().cellsZ(), world.settings().cellSizeM(),
                world.settings().maxSpeedMps(), actionsOf(world.game()));
        this.thread = Thread.ofPlatform().name("simulation-" + settings.nodeId()).unstarted(this::run);
        world.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
                SimulationNode.this.onCellChange(change);
            }

            @Override
            public void onGameEvent(String playerId, byte[] json) {
                sink.deliver(new ToGateway.ToClient(playerId, json, false));
            }
        });
    }

    private static Map<String, Map<String, String>> actionsOf(Game game) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (ActionSpec spec : game.actions()) {
            Map<String, String> fields = new HashMap<>();
            spec.fields().forEach((name, type) -> fields.put(name, type.name().toLowerCase(Locale.ROOT)));
            out.put(spec.name(), fields);
        }
        return out;
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public WorldInfo worldInfo() {
        return info;
    }

    @Override
    public void connect(GatewaySink sink) {
        this.sink = sink;
    }

    @Override
    public boolean offer(ToNode frame) {
        boolean accepted = mailbox.offer(frame);
        if (!accepted) {
            metrics.mailboxRejected.increment();
        }
        return accepted;
    }

    public SimulationNode start() {
        running = true;
        thread.start();
        return this;
    }

    /** Runs {@code query} on the simulation thread between ticks; the way to look at the world from outside. */
    public <T> CompletableFuture<T> inspect(Function<World, T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            try {
                result.complete(query.apply(world));
            } catch (Throwable e) { // a failing query must not end the simulation thread
                result.completeExceptionally(e);
            }
        };
        try {
            mailbox.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Calls {@code observer} on the simulation thread after every tick, e.g. to check invariants. */
    public void addTickObserver(Consumer<World> observer) {
        tickObservers.add(observer);
    }

    private void run() {
        long period = TimeUnit.SECONDS.toNanos(1) / world.settings().tickRateHz();
        long next = System.nanoTime() + period;
        while (running) {
            try {
                drainUntil(next);
            } catch (InterruptedException e) {
                break;
            }
            long start = System.nanoTime();
            try {
                tickOnce();
            } catch (RuntimeException e) {
                log.error("tick {} failed; the world goes on with the next tick", world.tick(), e);
            }
            long end = System.nanoTime();
            metrics.tickDuration.record(end - start, TimeUnit.NANOSECONDS);
            next += period;
            if (end > next) {
                metrics.tickOverruns.increment();
                next = end; // fell behind: start the next tick at once instead of bunching up catch-up ticks
            }
        }
    }

    /** One tick: simulate, then encode and send every connected player's snapshot. Public for benchmarks. */
    public void tickOnce() {
        try {
            world.step();
        } catch (RuntimeException e) {
            // A game's bug must not stop the world: the tick's remaining rules are skipped, snapshots still go out.
            log.error("tick {} failed in the game's rules; going on", world.tick(), e);
        }
        GatewaySink out = sink;
        encoder.encode(world, (player, json) -> out.deliver(new ToGateway.ToClient(player.id(), json, true)));
        for (Consumer<World> observer : tickObservers) {
            observer.accept(world);
        }
    }

    private void drainUntil(long deadline) throws InterruptedException {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            Object msg = mailbox.poll(wait, TimeUnit.NANOSECONDS);
            if (msg == null) {
                return;
            }
            handleSafely(msg);
            Object more;
            while ((more = mailbox.poll()) != null) {
                handleSafely(more);
            }
        }
    }

    private void handleSafely(Object msg) {
        try {
            handle(msg);
        } catch (RuntimeException e) { // e.g. a game hook that throws on join or on an action
            log.error("failed to handle {}; going on", msg.getClass().getSimpleName(), e);
        }
    }

    /** Handles one mailbox entry on the simulation thread. Public for benchmarks and single-threaded tests. */
    public void handle(Object msg) {
        switch (msg) {
            case ToNode.Attach a -> attach(a);
            case ToNode.Input i -> {
                InputOutcome outcome = world.applyInput(i.playerId(), i.input());
                if (outcome == InputOutcome.BAD_ACTION) {
                    String problem = world.actionProblem(i.input().action()).orElse("bad action");
                    sink.deliver(new ToGateway.ToClient(i.playerId(), ServerMessages.error(ErrorCode.BAD_ACTION,
                            problem).getBytes(StandardCharsets.UTF_8), false));
                } else if (outcome == InputOutcome.UNKNOWN_PLAYER) {
                    log.debug("input for unknown player {}", i.playerId());
                }
            }
            case ToNode.Detach d -> {
                // A resume may already have given the player a newer connection: only its own may detach it.
                if (connections.remove(d.playerId(), d.connectionId())) {
                    world.disconnect(d.playerId());
                }
            }
            case Runnable task -> task.run();
            default -> log.warn("unknown mailbox entry {}", msg.getClass().getName());
        }
    }

    private void attach(ToNode.Attach a) {
        Player p = a.resumePlayerId() == null ? null : world.resume(a.resumePlayerId()).orElse(null);
        boolean resumed = p != null;
        if (p == null) {
            p = world.join(a.name());
        }
        connections.put(p.id(), a.connectionId());
        sink.deliver(new ToGateway.Attached(a.connectionId(), p.id(), resumed, p.lastAppliedSeq(), info));
    }

    private void onCellChange(CellChange change) {
        Player p = world.player(change.playerId()).orElseThrow();
        if (!p.connected()) {
            return;
        }
        JsonOut o = new JsonOut(160);
        o.raw("{\"type\":\"cell_change\",\"tick\":").number(change.tick())
                .raw(",\"from\":{\"cx\":").number(change.from().cx()).raw(",\"cz\":").number(change.from().cz())
                .raw("},\"to\":{\"cx\":").number(change.to().cx()).raw(",\"cz\":").number(change.to().cz())
                .raw("},\"node\":").string(settings.nodeId()).raw(",\"handover\":\"local\"}");
        sink.deliver(new ToGateway.ToClient(p.id(), o.toByteArray(), false));
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
