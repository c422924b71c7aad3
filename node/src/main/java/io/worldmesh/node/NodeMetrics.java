package io.worldmesh.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.worldmesh.engine.EngineStats;
import io.worldmesh.engine.World;

import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.Side;
import io.worldmesh.node.core.NodeCounters;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's meters: tick duration, players, local handovers, rejected inputs, mailbox pressure, the node core's
 * counts ({@code worldmesh.node.*}), and the cross-node handover: outcomes by reason, a latency histogram per
 * phase, handovers in flight.
 */
public final class NodeMetrics {

    final Timer tickDuration;
    final Counter tickOverruns;
    final Counter mailboxRejected;

    private final MeterRegistry registry;
    private final String nodeId;
    private final Map<String, Timer> phases = new ConcurrentHashMap<>();
    private final Map<OutcomeKey, Counter> outcomes = new ConcurrentHashMap<>();

    private record OutcomeKey(String side, String outcome, String reason) {
    }

    public NodeMetrics(MeterRegistry registry, String nodeId, World world, IntSupplier handoversInFlight) {
        this.registry = registry;
        this.nodeId = nodeId;
        EngineStats stats = world.stats();
        Gauge.builder("worldmesh.handovers.in.flight", handoversInFlight, s -> s.getAsInt())
                .description("Cross-node handovers this node takes part in that have not ended")
                .tag("node", nodeId).strongReference(true).register(registry);
        for (String phase : new String[] {"prepare", "commit", "route", "total"}) {
            phase(phase);
        }
        tickDuration = Timer.builder("worldmesh.tick.duration")
                .description("Time to simulate one tick and encode its snapshots")
                .tag("node", nodeId)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMillis(500))
                .register(registry);
        tickOverruns = Counter.builder("worldmesh.tick.overruns")
                .description("Ticks that started late because the previous one ran past its slot")
                .tag("node", nodeId).register(registry);
        mailboxRejected = Counter.builder("worldmesh.mailbox.rejected")
                .description("Frames refused because the simulation's mailbox was full")
                .tag("node", nodeId).register(registry);
        Gauge.builder("worldmesh.players", world, World::playerCount)
                .description("Players in this node's world").tag("node", nodeId).strongReference(true)
                .register(registry);
        counter("worldmesh.handovers.local", "Players moved between cells of this node",
                stats, EngineStats::localHandovers, null);
        counter("worldmesh.game.events", "Game events sent to players", stats,
                EngineStats::gameEvents, null);
        counter("worldmesh.inputs.applied", "Inputs applied", stats,
                EngineStats::appliedInputs, null);
        counter("worldmesh.inputs.rejected", "Inputs refused by the simulation", stats,
                EngineStats::staleInputs, "stale_seq");
        counter("worldmesh.inputs.rejected", "Inputs refused by the simulation", stats,
                EngineStats::unknownPlayerInputs, "unknown_player");
        counter("worldmesh.inputs.rejected", "Inputs refused by the simulation", stats,
                EngineStats::teleportAttempts, "teleport");
        counter("worldmesh.inputs.rejected", "Inputs refused by the simulation", stats,
                EngineStats::badActions, "bad_action");
    }

    /**
     * The node core's own counts, read as they go (plain longs of the simulation thread: a scrape may lag a tick).
     * Each is a counter of its own, named for what it counts.
     */
    public void watchCore(NodeCounters c) {
        counter("worldmesh.node.joins", "Players created on this node", c, NodeCounters::joins, null);
        counter("worldmesh.node.handovers.started", "Cross-node handovers this node started as source", c,
                NodeCounters::handoversStarted, null);
        counter("worldmesh.node.arrivals", "Players that arrived here by a cross-node handover", c,
                NodeCounters::arrived, null);
        counter("worldmesh.node.departures", "Players that left here by a cross-node handover", c,
                NodeCounters::departed, null);
        counter("worldmesh.node.fenced", "Frozen copies dropped because the directory names another owner", c,
                NodeCounters::fenced, null);
        counter("worldmesh.node.held.at.capacity", "Crossings held at the border: too many handovers in flight",
                c, NodeCounters::heldAtCapacity, null);
        counter("worldmesh.node.inputs.unrouted", "Inputs for a player this node does not have", c,
                NodeCounters::inputsUnrouted, null);
        counter("worldmesh.node.inputs.while.frozen", "Inputs that reached a player frozen for a handover", c,
                NodeCounters::inputsWhileFrozen, null);
        counter("worldmesh.node.directory.failures", "Directory calls that failed or got no answer", c,
                NodeCounters::directoryFailures, null);
        counter("worldmesh.node.tick.failures", "Ticks in which the game threw", c, NodeCounters::tickFailures, null);
        counter("worldmesh.node.id.collisions", "Player ids the directory already had (a bug if ever seen)", c,
                NodeCounters::idCollisions, null);
        counter("worldmesh.node.owner.removals.retried", "Removals of a departed player's owner record tried again",
                c, NodeCounters::removalsRetried, null);
        counter("worldmesh.node.owner.removals.abandoned", "Owed owner-record removals given up at their bound",
                c, NodeCounters::removalsAbandoned, null);
        counter("worldmesh.node.leases.lost", "Times the node stopped simulating: its lease could not be renewed in time",
                c, NodeCounters::leasesLost, null);
        counter("worldmesh.node.leases.regained", "Times the node held its lease again and simulated on", c,
                NodeCounters::leasesRegained, null);
        counter("worldmesh.node.lease.refusals", "Lease holds refused: another incarnation of this node id holds it",
                c, NodeCounters::leaseRefusals, null);
        counter("worldmesh.node.inputs.while.fenced", "Inputs that reached the node while it was fenced (kept, applied once it is back)", c,
                NodeCounters::inputsWhileFenced, null);
        counter("worldmesh.node.checkpoints", "Checkpoints (one cut of ground and players each) sent to the session store", c,
                NodeCounters::checkpoints, null);
        counter("worldmesh.node.sessions.checkpointed", "Player states written by checkpoints", c,
                NodeCounters::sessionsCheckpointed, null);
        counter("worldmesh.node.checkpoint.writes.fenced", "Checkpoint writes refused as stale (another owner or epoch)",
                c, NodeCounters::checkpointWritesFenced, null);
        counter("worldmesh.node.checkpoint.failures", "Checkpoints that failed or got no answer", c,
                NodeCounters::checkpointFailures, null);
        counter("worldmesh.node.players.restored", "Players taken back at start from this node's previous "
                + "incarnation and put back from their checkpoint", c, NodeCounters::playersRestored, null);
        counter("worldmesh.node.players.recovered", "Restored players whose client was found and told 'recovered'",
                c, NodeCounters::playersRecovered, null);
        counter("worldmesh.node.restores.skipped", "Players named this node's at start that were not its to restore",
                c, NodeCounters::restoresSkipped, null);
        counter("worldmesh.node.failovers", "Dead nodes whose cells and players this node took over", c,
                NodeCounters::nodesTakenOver, null);
        counter("worldmesh.node.cells.adopted", "Cells this node adopted from dead nodes", c,
                NodeCounters::cellsAdopted, null);
        counter("worldmesh.node.cells.restored", "Adopted or reconciled cells whose entities came back from their "
                + "last cut", c, NodeCounters::cellsRestored, null);
        counter("worldmesh.node.ground.refused", "Cells whose ground record the game refused (started afresh)", c,
                NodeCounters::groundRefused, null);
        counter("worldmesh.node.cuts.refused", "Checkpoints refused whole: this incarnation was taken over", c,
                NodeCounters::cutsRefused, null);
        counter("worldmesh.node.commits.waited.for.cut", "Handover commits that waited for a checkpoint covering "
                + "the game state they carry", c, NodeCounters::commitsWaitedForCut, null);
        counter("worldmesh.node.restores.refused", "Players taken over at start whose checkpoint could not be put "
                + "back", c, NodeCounters::restoresRefused, null);
        counter("worldmesh.node.resumes.not.here", "Resumes refused for a player elsewhere in the world (staged here, "
                + "being restored, on another node); the client tries again", c, NodeCounters::resumesNotHere, null);
        counter("worldmesh.node.gateways.lapsed", "Gateways whose link stayed down past the grace (their players' "
                + "resume windows started)", c, NodeCounters::gatewaysLapsed, null);
        counter("worldmesh.node.gateway.restarts", "Gateways that linked again from a new start (the old start's "
                + "connections dropped)", c, NodeCounters::gatewayRestarts, null);
        counter("worldmesh.node.gateway.players.disconnected", "Players disconnected because their gateway lapsed or "
                + "started again", c, NodeCounters::gatewayPlayersDisconnected, null);
        counter("worldmesh.node.frames.while.unlinked", "Frames for a gateway dropped while its link was down", c,
                NodeCounters::framesWhileUnlinked, null);
        counter("worldmesh.node.gateway.players.reconnected", "Players connected again when their lapsed gateway came "
                + "back from the same start", c, NodeCounters::gatewayPlayersReconnected, null);
    }

    /** The mailbox to watch, once the driver has one. */
    public void watchMailbox(IntSupplier mailboxDepth) {
        // Strongly held: Micrometer keeps a gauge's object weakly, and nothing else holds this supplier.
        Gauge.builder("worldmesh.mailbox.depth", mailboxDepth, s -> s.getAsInt())
                .description("Frames waiting for the simulation thread").tag("node", nodeId)
                .strongReference(true).register(registry);
    }

    /** A handover ended on this node's side: its outcome and, for the side that measures them, its phases. */
    public void handoverFinished(HandoverReport r) {
        OutcomeKey key = new OutcomeKey(r.side().name().toLowerCase(Locale.ROOT),
                r.outcome().name().toLowerCase(Locale.ROOT), reasonTag(r.reason()));
        outcomes.computeIfAbsent(key, k -> Counter.builder("worldmesh.handovers")
                .description("Cross-node handovers that ended, by outcome").tag("node", nodeId).tag("side", k.side())
                .tag("outcome", k.outcome()).tag("reason", k.reason()).register(registry)).increment();
        if (r.side() == Side.SOURCE) {
            record("prepare", r.prepareNanos());
            record("commit", r.commitNanos());
            record("route", r.routeNanos());
            if (r.routeNanos() >= 0) {
                record("total", r.totalNanos());
            }
        }
    }

    /**
     * A tag from a reason, from a closed set: a detail after a colon is dropped (e.g. {@code not_owner:n3@4}), but
     * for REJECTED, whose reasons are an enum. A refusal's code comes from the peer, so it is not a tag at all.
     */
    private static String reasonTag(String reason) {
        int colon = reason.indexOf(':');
        return colon < 0 || reason.startsWith("rejected:") ? reason : reason.substring(0, colon);
    }

    private void record(String phase, long nanos) {
        if (nanos >= 0) {
            phase(phase).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private Timer phase(String phase) {
        return phases.computeIfAbsent(phase, p -> Timer.builder("worldmesh.handover.phase")
                .description("Time a cross-node handover spent in each phase, measured on its source; total runs"
                        + " from the freeze to the gateway's switch")
                .tag("node", nodeId).tag("phase", p).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
    }

    /** A counter read from {@code source} as it goes (the engine's stats, the core's counts), tagged with the node. */
    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> f, String reason) {
        FunctionCounter.Builder<T> b = FunctionCounter.builder(name, source, f).description(description)
                .tag("node", nodeId);
        if (reason != null) {
            b.tag("reason", reason);
        }
        b.register(registry);
    }
}
