package io.worldmesh.testkit;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Game;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.engine.Player;
import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.Side;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One deterministic run of a whole cluster: the real node cores, route switch and in-memory directory, driven by
 * a virtual clock and a queue of events, every random choice drawn from one {@link SplittableRandom} seeded with
 * {@code seed}. No threads, sockets, sleeps or wall clock: a seed replays exactly. A fault phase with
 * {@link SimulationConfig#faults} is followed by a heal phase without; every rule is checked after every step that
 * changed a world or the directory (the other steps cannot change what the rules look at), and termination at the
 * end. A broken rule ends the run with a {@link SimulationFailure}.
 */
public final class Simulation {

    /** Events a failure message shows by default, the last before the failing step. */
    public static final int RECENT_EVENTS = 40;

    private final SimulationConfig config;
    private final long seed;
    private final Scheduler scheduler = new Scheduler();
    private final SimStats stats = new SimStats();
    private final TraceHash trace = new TraceHash();
    private final RecentEvents recent;
    private final Map<String, InputLedger> ledgers = new LinkedHashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<String, Integer> nodeIndex = new HashMap<>();
    private final List<SimClient> clients = new ArrayList<>();
    private final String gameName;
    private final PeerNetwork peers;
    private final SimDirectory directory;
    private final GatewayLinks links;
    private final SimGateway gateway;
    private final OwnershipChecks ownership;
    private final EpochChecks epochs;
    private final GameChecks gameChecks;
    private final long healTick;
    /** Per node, the virtual time its hang ends (0: not hung); what reaches a hung node waits until then. */
    private final long[] hungUntil;
    private final SplittableRandom hangs;
    private Faults processFaults;

    /** {@code games} makes a new instance of the game for each node (and one to read its declarations). */
    public Simulation(SimulationConfig config, Supplier<Game> games, long seed) {
        this(config, games, seed, RECENT_EVENTS);
    }

    /** As above, with the failure message showing the last {@code recentEvents} events. */
    public Simulation(SimulationConfig config, Supplier<Game> games, long seed, int recentEvents) {
        this.config = config;
        this.recent = new RecentEvents(Math.max(1, recentEvents));
        this.seed = seed;
        SplittableRandom root = new SplittableRandom(seed);
        byte[] secret = new byte[32];
        root.nextBytes(secret);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= config.nodes(); i++) {
            ids.add("n" + i);
        }
        CellAssignment assignment = CellAssignment.stripes(config.cellsX(), config.cellsZ(), ids);
        long skewMax = config.faults().clockSkewMax().toMillis();
        long[] skews = new long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            skews[i] = skewMax == 0 ? 0 : root.nextLong(-skewMax, skewMax + 1);
        }
        Game probe = games.get();
        gameName = probe.name();
        Faults faults = config.faults();
        peers = new PeerNetwork(scheduler, new Latency(root.split(), Duration.ofNanos(500_000), Duration.ofMillis(3)),
                config.handover().prepareTimeout(), faults, stats); // the HTTP client's timeout, as NodeServer sets it
        Duration directoryTimeout = config.directoryTimeout()
                .plusNanos(root.nextLong(2 * config.directoryTimeout().toNanos() + 1));
        directory = new SimDirectory(scheduler, new Latency(root.split(), Duration.ofNanos(200_000),
                Duration.ofMillis(2)), directoryTimeout, faults, stats);
        for (int i = 0; i < ids.size(); i++) {
            // Each node registers and holds its lease at time 0, as NodeServer does before its core starts.
            long incarnation = directory.directory().registerNode(ids.get(i), "sim://" + ids.get(i))
                    .toCompletableFuture().join().incarnation();
            directory.directory().holdLease(ids.get(i), incarnation, SimNode.LEASE_TTL);
            nodes.add(SimNode.create(i, ids.get(i), incarnation, config, assignment, games.get(), secret,
                    root.split(), skews[i]));
            nodeIndex.put(ids.get(i), i);
        }
        links = new GatewayLinks(scheduler, new Latency(root.split(), Duration.ofNanos(200_000), Duration.ofMillis(2)),
                SimGateway.ID, ids.size(), faults);
        gateway = new SimGateway(links, directory, nodeIndex, cellOwners(config, assignment), root.split());
        for (int i = 0; i < config.players(); i++) {
            clients.add(new SimClient(i, root.split(), scheduler, gateway, ledgers, probe.actions(),
                    faults.disconnectRate(), stats));
        }
        ownership = new OwnershipChecks(nodes, directory.directory(), ledgers, stats);
        epochs = new EpochChecks(directory.directory());
        gameChecks = new GameChecks(probe.invariants());
        healTick = config.faultPhase().toNanos() / config.tickNanos();
        hungUntil = new long[nodes.size()];
        hangs = root.split();
        processFaults = faults;
        clients.forEach(SimClient::start);
        for (int i = 0; i < nodes.size(); i++) {
            // Nodes tick at the same cluster-wide tick numbers, each a little out of phase with the others.
            scheduler.at(config.tickNanos() + root.nextLong(config.tickNanos() / 10), new Event.Tick(i));
        }
        scheduler.at(config.faultPhase().toNanos(), new Event.Heal());
    }

    /**
     * Runs to the end of the heal phase.
     *
     * @throws SimulationFailure at the first step that breaks a rule, or at the end if the run did not terminate
     */
    public SimulationResult run() {
        try {
            Scheduler.Due due;
            while ((due = scheduler.next(config.endNanos())) != null) {
                stats.steps++;
                recent.add(due);
                trace.mix(due.atNanos());
                trace.mix(due.event().getClass().getSimpleName());
                dispatch(due.event());
            }
            new TerminationChecks(nodes, clients, ledgers, gateway.routes()).check();
        } catch (InvariantBroken e) {
            throw failure(e.rule(), e.getMessage(), null);
        } catch (RuntimeException e) { // the gateway's or a game's code, reached by this run
            throw failure(Rule.NODE_ERROR, "the simulation threw " + e, e);
        }
        return result();
    }

    /** The owner of every cell, in grid order. */
    private static List<String> cellOwners(SimulationConfig config, CellAssignment assignment) {
        List<String> owners = new ArrayList<>();
        for (int cz = 0; cz < config.cellsZ(); cz++) {
            for (int cx = 0; cx < config.cellsX(); cx++) {
                owners.add(assignment.ownerOf(new CellRef(cx, cz)).orElseThrow());
            }
        }
        return owners;
    }

    private void dispatch(Event event) {
        switch (event) {
            case Event.Tick t -> {
                maybeHang(t.node());
                if (!hung(t.node())) { // a hung node misses its ticks, as NodeRuntime skips tick numbers
                    deliver(nodes.get(t.node()), new NodeInput.Tick(scheduler.now() / config.tickNanos()));
                }
                scheduler.after(config.tickNanos(), t);
            }
            case Event.ToNode d -> deliver(nodes.get(d.node()), d.input());
            case Event.PeerReplyArrives r -> {
                NodeInput answer = peers.answered(r.caller(), r.callId(), r.reply());
                if (answer != null) {
                    deliver(nodes.get(r.caller()), answer);
                }
            }
            case Event.PeerCallTimesOut t -> {
                NodeInput unreachable = peers.timedOut(t.caller(), t.callId());
                if (unreachable != null) {
                    deliver(nodes.get(t.caller()), unreachable);
                }
            }
            case Event.DirectoryReceives r -> {
                epochs.afterOp(r.call().op(), directory.apply(r.call()));
                ownership.afterStep(null, null);
            }
            case Event.OwnerLookedUp o -> gateway.ownerLookedUp(o.connectionId(), o.node());
            case Event.ToGatewayFrame f -> gateway.fromNode(nodes.get(f.node()).id(), f.frame());
            case Event.ClientTurn c -> clients.get(c.client()).turn();
            case Event.Heal h -> heal();
        }
    }

    private boolean hung(int node) {
        return scheduler.now() < hungUntil[node];
    }

    /** At a tick, the node may hang (a long GC pause, SIGSTOP) for up to {@code nodeHangMax}. */
    private void maybeHang(int node) {
        if (hung(node) || processFaults.nodeHangRate() == 0 || hangs.nextDouble() >= processFaults.nodeHangRate()) {
            return;
        }
        hungUntil[node] = scheduler.now() + 1 + hangs.nextLong(processFaults.nodeHangMax().toNanos());
        stats.nodeHangs++;
    }

    private void deliver(SimNode node, NodeInput input) {
        if (hung(node.index())) { // it waits in the process's queues, in order, until the hang ends
            scheduler.at(hungUntil[node.index()], new Event.ToNode(node.index(), input));
            return;
        }
        trace.mix(node.index());
        List<NodeEffect> effects;
        try {
            effects = node.handle(input, scheduler.now());
        } catch (RuntimeException e) {
            throw failure(Rule.NODE_ERROR, node.id() + " threw on " + input.getClass().getSimpleName() + ": " + e, e);
        }
        for (NodeEffect effect : effects) {
            carryOut(node, effect);
        }
        ownership.afterStep(node, input);
        gameChecks.afterStep(nodes, node, ownership.epochsMoved(), ownership::maxEpoch,
                scheduler.now() / config.tickNanos(), healedTick());
    }

    /**
     * The tick from which the heal phase is fault-free: its start, or the end of the last hang that was under way
     * then (it runs its course), whichever is later. A game's settling grace counts from here: while a node is
     * hung, what it holds cannot settle.
     */
    private long healedTick() {
        long lastHangEnd = 0;
        for (long until : hungUntil) {
            lastHangEnd = Math.max(lastHangEnd, until);
        }
        return Math.max(healTick, (lastHangEnd + config.tickNanos() - 1) / config.tickNanos());
    }

    private void carryOut(SimNode node, NodeEffect effect) {
        switch (effect) {
            case NodeEffect.ToGatewayFrame f -> links.toGateway(node.index(), f.frame());
            case NodeEffect.CallPeer c -> peers.call(node.index(), c.callId(), nodeIndex.get(c.node()), c.request());
            case NodeEffect.ReplyPeer r -> peers.reply(r.requestId(), r.reply());
            case NodeEffect.CallDirectory d -> directory.call(node.index(), d.opId(), d.op());
            case NodeEffect.SetTimer t -> scheduler.at(t.atNanos(),
                    new Event.ToNode(node.index(), new NodeInput.TimerFired(t.key())));
            case NodeEffect.Report r -> count(r.report());
        }
    }

    private void count(HandoverReport report) {
        if (report.side() != Side.SOURCE) {
            return;
        }
        switch (report.outcome()) {
            case COMMITTED -> stats.handoversCommitted++;
            case ABORTED -> stats.handoversAborted++;
            case FENCED -> stats.handoversFenced++;
        }
    }

    private void heal() {
        processFaults = Faults.NONE; // a hang under way runs its course
        peers.faults(Faults.NONE);
        directory.faults(Faults.NONE);
        links.faults(Faults.NONE);
        clients.forEach(SimClient::heal);
    }

    private SimulationFailure failure(Rule rule, String detail, Throwable cause) {
        return new SimulationFailure(seed, gameName, rule, detail, stats.steps, scheduler.now(), replayCommand(),
                recent.format(), cause);
    }

    /** The command that replays this run (the command's configuration is {@link SimulationConfig#defaults}). */
    public String replayCommand() {
        SimulationConfig d = SimulationConfig.defaults();
        String faults = config.faults().profileName().orElse("<these custom faults>");
        return "./worldmesh simulate --seed " + seed + " --game " + gameName
                + (config.nodes() != d.nodes() ? " --nodes " + config.nodes() : "")
                + (config.players() != d.players() ? " --players " + config.players() : "")
                + (faults.equals("default") ? "" : " --faults " + faults);
    }

    private SimulationResult result() {
        for (SimNode n : nodes) {
            for (Player p : n.world().players()) {
                trace.mix(p.id());
                trace.mix(Double.doubleToLongBits(p.x()));
                trace.mix(Double.doubleToLongBits(p.z()));
                trace.mix(p.lastAppliedSeq());
                trace.mix(p.epoch());
            }
            trace.mix(n.world().entities().size());
        }
        trace.mix(directory.directory().decisionCount());
        return new SimulationResult(seed, gameName, stats.steps, scheduler.now(), stats.handoversCommitted,
                stats.handoversAborted, stats.handoversFenced, stats.inputsSent, stats.inputsApplied,
                stats.peerDropped, stats.peerDuplicated, stats.stragglers, stats.directoryFailures,
                stats.disconnects, stats.nodeHangs, nodes.stream().mapToLong(n -> n.core().counters().leasesLost()).sum(),
                trace.value());
    }
}
