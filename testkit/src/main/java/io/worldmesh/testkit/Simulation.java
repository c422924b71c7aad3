package io.worldmesh.testkit;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Game;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.engine.Player;
import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.Side;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.node.core.NodeLifecycle;

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
    /** Per node: its hang has ended (or not yet) and it has handled no input since it began. */
    private final boolean[] notYetAwake;
    private final SplittableRandom hangs;
    private final SplittableRandom crashes;
    private final NodeLives lives;
    /** Every life of every node, for the counters of those that have ended. */
    private final List<SimNode> allLives = new ArrayList<>();
    private final Supplier<Game> games;
    private final byte[] secret;
    /** The assignment the nodes start with; the directory's, when failover is on, moves from it. */
    private final CellAssignment initialAssignment;
    private final long[] skews;
    /** The last time the cluster was not settled (see {@link #settled}), in ticks; a game's grace counts from it. */
    private long unsettledTick;
    /** When the last outage of the directory ends. */
    private long outageUntil;
    private Faults processFaults;
    /** The process faults injected so far, the newest last, for the failure message. */
    private final java.util.ArrayDeque<String> faultLog = new java.util.ArrayDeque<>();

    /** {@code games} makes a new instance of the game for each node (and one to read its declarations). */
    public Simulation(SimulationConfig config, Supplier<Game> games, long seed) {
        this(config, games, seed, RECENT_EVENTS);
    }

    /** As above, with the failure message showing the last {@code recentEvents} events. */
    public Simulation(SimulationConfig config, Supplier<Game> games, long seed, int recentEvents) {
        this.config = config;
        this.games = games;
        this.recent = new RecentEvents(Math.max(1, recentEvents));
        this.seed = seed;
        SplittableRandom root = new SplittableRandom(seed);
        this.secret = new byte[32];
        root.nextBytes(secret);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= config.nodes(); i++) {
            ids.add("n" + i);
        }
        CellAssignment assignment = CellAssignment.stripes(config.cellsX(), config.cellsZ(), ids);
        initialAssignment = assignment;
        long skewMax = config.faults().clockSkewMax().toMillis();
        skews = new long[ids.size()];
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
        if (config.failover()) {
            directory.directory().proposeAssignment(assignment); // as a cluster stores it first: failover moves it
        }
        lives = new NodeLives(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            // Each node registers and holds its lease at time 0, as NodeServer does before its core starts.
            long incarnation = directory.directory().registerNode(ids.get(i), "sim://" + ids.get(i))
                    .toCompletableFuture().join().incarnation();
            directory.directory().holdLease(ids.get(i), incarnation, SimNode.LEASE_TTL);
            nodes.add(SimNode.create(i, ids.get(i), incarnation, config, assignment, games.get(), secret,
                    root.split(), skews[i]));
            nodeIndex.put(ids.get(i), i);
        }
        allLives.addAll(nodes);
        links = new GatewayLinks(scheduler, new Latency(root.split(), Duration.ofNanos(200_000), Duration.ofMillis(2)),
                SimGateway.ID, ids.size(), faults);
        gateway = new SimGateway(scheduler, links, directory, nodeIndex, cellOwners(config, assignment),
                root.split());
        for (int i = 0; i < config.players(); i++) {
            clients.add(new SimClient(i, root.split(), scheduler, gateway, ledgers, probe.actions(),
                    faults.disconnectRate(), stats));
        }
        ownership = new OwnershipChecks(nodes, directory.directory(), ledgers, stats, this::pausedOrWaking);
        epochs = new EpochChecks(directory.directory());
        gameChecks = new GameChecks(probe.invariants());
        healTick = config.faultPhase().toNanos() / config.tickNanos();
        hungUntil = new long[nodes.size()];
        notYetAwake = new boolean[nodes.size()];
        hangs = root.split();
        crashes = root.split();
        processFaults = faults;
        clients.forEach(SimClient::start);
        for (int i = 0; i < nodes.size(); i++) {
            links.toNode(i, new NodeInput.GatewayLinked(SimGateway.ID, gateway.life())); // each link's handshake
        }
        for (int i = 0; i < nodes.size(); i++) {
            // Nodes tick at the same cluster-wide tick numbers, each a little out of phase with the others.
            scheduler.at(config.tickNanos() + root.nextLong(config.tickNanos() / 10), new Event.Tick(i));
        }
        scheduler.at(config.faultPhase().toNanos(), new Event.Heal());
        scheduler.at(1_000_000_000L, new Event.GatewayReadsAssignment());
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
            new TerminationChecks(nodes, clients, ledgers, gateway.routes(), directory.directory()).check();
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
                if (t.node() == 0) {
                    maybeOutage();
                }
                if (lives.up(t.node())) {
                    maybeHang(t.node());
                    if (!hung(t.node())) { // a hung node misses its ticks, as NodeRuntime skips tick numbers
                        deliver(t.node(), new NodeInput.Tick(scheduler.now() / config.tickNanos()));
                    }
                }
                scheduler.after(config.tickNanos(), t);
            }
            case Event.ToNode d -> {
                if (lives.takes(d.node(), d.life())) {
                    deliverOrWait(d.node(), d, d.input());
                }
            }
            case Event.LinkToNode l -> {
                if (lives.up(l.node()) && links.carries(l.node(), l.link())) {
                    deliverOrWait(l.node(), l, l.input());
                }
            }
            case Event.PeerReplyArrives r -> {
                NodeInput answer = peers.answered(r.caller(), r.callerLife(), r.callId(), r.reply());
                if (answer != null && lives.takes(r.caller(), r.callerLife())) {
                    deliverOrWait(r.caller(), new Event.ToNode(r.caller(), r.callerLife(), answer), answer);
                }
            }
            case Event.PeerCallTimesOut t -> {
                NodeInput unreachable = peers.timedOut(t.caller(), t.callerLife(), t.callId());
                if (unreachable != null && lives.takes(t.caller(), t.callerLife())) {
                    deliverOrWait(t.caller(), new Event.ToNode(t.caller(), t.callerLife(), unreachable), unreachable);
                }
            }
            case Event.DirectoryReceives r -> {
                Object result = directory.apply(r.call());
                if (result != null) {
                    epochs.afterOp(r.call().op(), result);
                    ownership.afterStep(null, null, false, false);
                }
            }
            case Event.OwnerLookedUp o -> gateway.ownerLookedUp(o.gatewayLife(), o.connectionId(), o.node(),
                    o.answered());
            case Event.GatewayReadsAssignment r -> {
                gateway.readAssignment();
                scheduler.after(1_000_000_000L, r);
            }
            case Event.AssignmentRead a -> gateway.assignmentRead(a.gatewayLife(), a.assignment());
            case Event.ToGatewayFrame f -> {
                if (gateway.up() && links.carries(f.node(), f.link())) {
                    gateway.fromNode(nodes.get(f.node()).id(), f.frame());
                }
            }
            case Event.ClientTurn c -> {
                maybeCrashGateway();
                clients.get(c.client()).turn();
            }
            case Event.ConnectionRefused r -> clients.get(r.client()).onRefused(r.connectionId());
            case Event.NodeStarts n -> startNode(n.node());
            case Event.LinkUp l -> linkUp(l.node(), l.link());
            case Event.GatewayStarts g -> {
                gateway.start();
                logFault("the gateway starts again");
                for (int i = 0; i < nodes.size(); i++) {
                    dial(i);
                }
            }
            case Event.DirectoryBack b -> directory.down(false);
            case Event.Heal h -> heal();
        }
    }

    /** What reaches a hung node waits in its process's queues, in order, until the hang ends. */
    private void deliverOrWait(int node, Event event, NodeInput input) {
        if (hung(node)) {
            scheduler.at(hungUntil[node], event);
            return;
        }
        deliver(node, input);
    }

    private boolean hung(int node) {
        return scheduler.now() < hungUntil[node];
    }

    /**
     * Hung, or woken from a hang and not yet given an input: a woken node looks at its lease before anything else,
     * so until its next input it has not learnt that it may have been taken over meanwhile, and acts on nothing.
     */
    private boolean pausedOrWaking(int node) {
        return hung(node) || notYetAwake[node];
    }

    /** At a tick, the node may hang (a long GC pause, SIGSTOP) for up to {@code nodeHangMax}. */
    private void maybeHang(int node) {
        if (hung(node) || processFaults.nodeHangRate() == 0 || hangs.nextDouble() >= processFaults.nodeHangRate()) {
            return;
        }
        hungUntil[node] = scheduler.now() + 1 + hangs.nextLong(processFaults.nodeHangMax().toNanos());
        notYetAwake[node] = true;
        stats.nodeHangs++;
        logFault(String.format(java.util.Locale.ROOT, "%s hangs until %.6f s", nodes.get(node).id(),
                hungUntil[node] / 1e9));
    }

    private void deliver(int index, NodeInput input) {
        SimNode node = nodes.get(index);
        notYetAwake[index] = false;
        trace.mix(index);
        long restoredBefore = node.core().counters().playersRestored();
        long unroutedBefore = node.core().counters().inputsUnrouted();
        List<NodeEffect> effects;
        try {
            effects = node.handle(input, scheduler.now());
        } catch (RuntimeException e) {
            throw failure(Rule.NODE_ERROR, node.id() + " threw on " + input.getClass().getSimpleName() + ": " + e, e);
        }
        // A crash right after the step may come before, among or after the effects it asked for.
        boolean crash = mayCrash() && crashes.nextDouble() < processFaults.nodeCrashRate();
        int carried = crash ? crashes.nextInt(effects.size() + 1) : effects.size();
        for (int i = 0; i < carried; i++) {
            carryOut(node, effects.get(i));
        }
        ownership.afterStep(node, input, node.core().counters().playersRestored() > restoredBefore,
                node.core().counters().inputsUnrouted() > unroutedBefore);
        if (!settled()) {
            unsettledTick = scheduler.now() / config.tickNanos();
        }
        gameChecks.afterStep(nodes, node, ownership.epochsMoved(), ownership::maxEpoch,
                scheduler.now() / config.tickNanos(), Math.max(healedTick(), unsettledTick), settled());
        if (crash) {
            stats.nodeCrashes++;
            logFault(node.id() + " crashes after " + input.getClass().getSimpleName() + " with " + carried + " of its "
                    + effects.size() + " effects carried out");
            crash(index);
        } else if (node.core().lifecycle() == NodeLifecycle.STOPPED) {
            stats.nodeExits++; // taken over while fenced: the process ends, and its supervisor starts it again
            logFault(node.id() + " ends itself: taken over while fenced");
            crash(index);
        }
    }

    /** One node down at a time, and only in the fault phase. */
    private boolean mayCrash() {
        return processFaults.nodeCrashRate() > 0 && lives.upCount() == nodes.size();
    }

    /** The node's process is gone: its memory, its timers, its calls in flight, its link to the gateway. */
    private void crash(int index) {
        SimNode node = nodes.get(index);
        node.crash();
        lives.crashed(index);
        hungUntil[index] = 0;
        notYetAwake[index] = false;
        ownership.crashed(node);
        links.down(index);
        if (gateway.up()) {
            gateway.linkDown(node.id());
        }
        long down = 1 + (processFaults.nodeDownMax().isZero() ? Duration.ofMillis(500).toNanos()
                : crashes.nextLong(processFaults.nodeDownMax().toNanos()));
        scheduler.after(down, new Event.NodeStarts(index));
    }

    /**
     * The supervisor starts the node again, as {@code NodeServer} starts: it waits while its earlier incarnation
     * still holds the lease, registers as a new incarnation, takes the lease, builds its world from the cell
     * assignment the directory holds now and reconciles. Without the directory the start fails and is tried again.
     */
    private void startNode(int index) {
        String id = nodes.get(index).id();
        InMemoryDirectory d = directory.directory();
        if (directory.down() || d.leases().toCompletableFuture().join().containsKey(id)) {
            scheduler.after(SimNode.LEASE_TTL.toNanos() / 10, new Event.NodeStarts(index));
            return;
        }
        long incarnation = d.registerNode(id, "sim://" + id).toCompletableFuture().join().incarnation();
        d.holdLease(id, incarnation, SimNode.LEASE_TTL);
        CellAssignment assignment = d.assignment().toCompletableFuture().join().orElse(initialAssignment);
        SimNode node = SimNode.start(index, id, incarnation, config, assignment, games.get(), secret, crashes.split(),
                skews[index], scheduler.now());
        nodes.set(index, node);
        allLives.add(node);
        lives.started(index);
        stats.nodeRestarts++;
        logFault(id + " starts again as incarnation " + incarnation + " with cells " + assignment.cellsOf(id));
        deliver(index, new NodeInput.Reconcile(incarnation - 1));
        dial(index);
    }

    /** The gateway dials a node whose link is down, a moment later. */
    private void dial(int index) {
        if (gateway.up() && lives.up(index) && !links.up(index)) {
            scheduler.after(links.latency().draw(Duration.ofMillis(300)), new Event.LinkUp(index, links.link(index)));
        }
    }

    /** The link's handshake is done: the node hears of the gateway's start, and the gateway resends what it kept. */
    private void linkUp(int index, long link) {
        if (!gateway.up() || !lives.up(index) || links.up(index) || links.link(index) != link) {
            return; // an end died again since the dial
        }
        links.reopened(index);
        links.toNode(index, new NodeInput.GatewayLinked(SimGateway.ID, gateway.life()));
        gateway.linkUp(nodes.get(index).id());
    }

    /** As a client acts, the gateway may die; it starts again a little later. */
    private void maybeCrashGateway() {
        if (!gateway.up() || processFaults.gatewayCrashRate() == 0
                || crashes.nextDouble() >= processFaults.gatewayCrashRate()) {
            return;
        }
        stats.gatewayCrashes++;
        logFault("the gateway crashes");
        gateway.crash();
        for (int i = 0; i < nodes.size(); i++) {
            links.down(i);
            if (lives.up(i)) { // the node sees its link close
                scheduler.after(links.latency().draw(Duration.ZERO), new Event.ToNode(i, lives.of(i),
                        new NodeInput.GatewayUnlinked(SimGateway.ID)));
            }
        }
        scheduler.after(Duration.ofMillis(200).toNanos() + crashes.nextLong(Duration.ofMillis(1300).toNanos()),
                new Event.GatewayStarts());
    }

    /** At the first node's tick, the directory may go down for up to {@code directoryOutageMax}. */
    private void maybeOutage() {
        if (directory.down() || processFaults.directoryOutageRate() == 0
                || crashes.nextDouble() >= processFaults.directoryOutageRate()) {
            return;
        }
        stats.directoryOutages++;
        directory.down(true);
        outageUntil = scheduler.now() + 1 + crashes.nextLong(processFaults.directoryOutageMax().toNanos());
        logFault(String.format(java.util.Locale.ROOT, "the directory goes down until %.6f s", outageUntil / 1e9));
        scheduler.at(outageUntil, new Event.DirectoryBack());
    }

    /**
     * Whether the cluster is whole: every node up, none reconciling or taking over, the directory up, every player
     * the directory names in its owner's world at that epoch (or staged there while its source still holds it
     * frozen), and every cell in the world of the node the directory
     * assigns it to. A game's invariants over the worlds hold only then; while a
     * node is down, what it held is in the directory's last cut, not in any world.
     */
    private boolean settled() {
        if (directory.down() || lives.upCount() < nodes.size()) {
            return false;
        }
        for (SimNode n : nodes) { // a fenced node still holds its world; one reconciling is restoring it
            if (n.core().lifecycle() == NodeLifecycle.RECONCILING || n.core().recovering()) {
                return false;
            }
        }
        for (SimNode n : nodes) { // every player the directory names is where it says: none waits in a checkpoint
            for (var owned : directory.directory().playersOf(n.id()).toCompletableFuture().join().entrySet()) {
                if (n.world().player(owned.getKey()).filter(p -> p.epoch() == owned.getValue()).isEmpty()
                        && !(n.core().isStaged(owned.getKey()) && frozenOnASource(owned.getKey()))) {
                    return false;
                }
            }
        }
        CellAssignment stored = directory.directory().assignment().toCompletableFuture().join()
                .orElse(initialAssignment);
        for (int cz = 0; cz < config.cellsZ(); cz++) {
            for (int cx = 0; cx < config.cellsX(); cx++) {
                CellRef cell = new CellRef(cx, cz);
                String owner = stored.ownerOf(cell).orElse(null);
                for (SimNode n : nodes) {
                    if (n.world().owns(cell) != n.id().equals(owner)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Whether a node still holds {@code playerId} frozen: a staged copy never counts, so a player committed to a
     * target that has not activated it yet is whole only while its source keeps it (a source that crashed since has
     * not, and what the player holds is in no world until the target activates it).
     */
    private boolean frozenOnASource(String playerId) {
        for (SimNode n : nodes) {
            if (n.world().player(playerId).filter(p -> p.frozen()).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tick from which the heal phase is fault-free: its start, or the end of the last hang that was under way
     * then (it runs its course), whichever is later. A game's settling grace counts from here: while a node is
     * hung, what it holds cannot settle.
     */
    private long healedTick() {
        long lastHangEnd = outageUntil;
        for (long until : hungUntil) {
            lastHangEnd = Math.max(lastHangEnd, until);
        }
        return Math.max(healTick, (lastHangEnd + config.tickNanos() - 1) / config.tickNanos());
    }

    private void carryOut(SimNode node, NodeEffect effect) {
        switch (effect) {
            case NodeEffect.ToGatewayFrame f -> links.toGateway(node.index(), f.frame());
            case NodeEffect.CallPeer c -> peers.call(node.index(), lives.of(node.index()), c.callId(),
                    nodeIndex.get(c.node()), c.request());
            case NodeEffect.ReplyPeer r -> peers.reply(r.requestId(), r.reply());
            case NodeEffect.CallDirectory d -> directory.call(node.index(), lives.of(node.index()), d.opId(), d.op());
            case NodeEffect.SetTimer t -> scheduler.at(t.atNanos(),
                    new Event.ToNode(node.index(), lives.of(node.index()), new NodeInput.TimerFired(t.key())));
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
                recent.format() + "  process faults, the last " + FAULTS_SHOWN + ":\n" + String.join("\n", faultLog)
                        + "\n", cause);
    }

    private static final int FAULTS_SHOWN = 40;

    private void logFault(String what) {
        faultLog.addLast(String.format(java.util.Locale.ROOT, "    %10.6f s  %s", scheduler.now() / 1e9, what));
        if (faultLog.size() > FAULTS_SHOWN) {
            faultLog.removeFirst();
        }
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
            if (!n.up()) {
                continue;
            }
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
                stats.disconnects, stats.nodeHangs, counted(c -> c.leasesLost()), stats.nodeCrashes, stats.nodeExits,
                stats.nodeRestarts, stats.gatewayCrashes, stats.directoryOutages, counted(c -> c.nodesTakenOver()),
                counted(c -> c.playersRestored()), stats.inputsRolledBack, trace.value());
    }

    /** A counter summed over every life of every node. */
    private long counted(java.util.function.ToLongFunction<io.worldmesh.node.core.NodeCounters> counter) {
        return allLives.stream().mapToLong(n -> counter.applyAsLong(n.core().counters())).sum();
    }
}
