package io.worldmesh.node.core;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.ClusterOp;
import io.worldmesh.api.ClusterStateReply;
import io.worldmesh.directory.CasOutcome;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.CheckpointOutcome;
import io.worldmesh.directory.CommitOutcome;
import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.Decision;
import io.worldmesh.directory.GroundTakeover;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.LeaseOutcome;
import io.worldmesh.directory.NodeCut;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.directory.SessionRecord;
import io.worldmesh.directory.SessionWrite;
import io.worldmesh.directory.TakeoverOutcome;
import io.worldmesh.directory.VersionedValue;
import io.worldmesh.engine.CellChange;
import io.worldmesh.engine.CrossingDecision;
import io.worldmesh.engine.InputOutcome;
import io.worldmesh.engine.OutboundTransfer;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.SnapshotEncoder;
import io.worldmesh.engine.StageResult;
import io.worldmesh.engine.StagedPlayer;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldListener;
import io.worldmesh.handover.Admission;
import io.worldmesh.handover.HandoverEffect;
import io.worldmesh.handover.Side;
import io.worldmesh.handover.SourceHandovers;
import io.worldmesh.handover.TargetHandovers;
import io.worldmesh.protocol.client.ErrorCode;
import io.worldmesh.protocol.client.ServerMessages;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.PlayerStateCodec;
import io.worldmesh.protocol.handover.PlayerState;
import io.worldmesh.protocol.handover.RejectReason;
import io.worldmesh.protocol.handover.StateDecoded;
import io.worldmesh.protocol.json.JsonOut;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A simulation node without IO: it owns a {@link World} of the cells the directory assigns it, and the source and
 * target handover state machines. It takes {@link NodeInput}s with the time and returns {@link NodeEffect}s; a thin
 * driver (thread, mailbox, HTTP, gateway links, directory) or the simulator carries them out. Single-threaded.
 */
public final class NodeCore {

    /** Inputs kept per frozen player; the gateway keeps at most as many (its default bound). */
    static final int MAX_KEPT_WHILE_FROZEN = 256;

    /** A player's connection: which gateway, and its number there. */
    private record Connection(String gatewayId, long connectionId) {
    }

    /** Which handover a call to a peer belongs to. */
    private record PeerCall(Side side, String token) {
    }

    /** What an outstanding directory call is for. */
    private sealed interface Pending {
        record HandoverOp(Side side, String token, DirectoryOp op) implements Pending { }
        record Create(String gatewayId, long gatewayStart, long connectionId, Player newcomer) implements Pending { }
        record Cluster(ClusterOp op) implements Pending { }
        /** The first step of a compare-and-set if a player has left: whether the directory still knows it. */
        record ClusterIfLeft(ClusterOp.CompareAndSetIfLeft op) implements Pending { }
        record Remove(String playerId, OwnerRecord owner) implements Pending { }
        record Lease() implements Pending { }
        record Checkpoint() implements Pending { }
        record Reconcile() implements Pending { }
        record Restore(Takeover takeover) implements Pending { }
        record RestoreFromSession(Takeover takeover, long epoch) implements Pending { }
        record Leases() implements Pending { }
        record Assignment() implements Pending { }
        record Adopt(String deadNode, long deadIncarnation, long expectedVersion, CellAssignment next,
                     List<CellRef> cells) implements Pending { }
        record DeadGround(String deadNode, long deadIncarnation, List<CellRef> cells) implements Pending { }
        record OwnGround(List<CellRef> cells) implements Pending { }
        record DeadPlayers(String deadNode, long deadIncarnation) implements Pending { }
        record Orphans(String node, long deadIncarnation) implements Pending { }
        record LostReservation(long requestId, PeerRequest.Commit commit) implements Pending { }
        record LostReservationState(long requestId, PeerRequest.Commit commit) implements Pending { }
        record ResumeNotHere(String gatewayId, long gatewayStart, ToNode.Attach attach) implements Pending { }
        /** The players the directory names this node's, read to find any committed here that it has no trace of. */
        record OwnSweep() implements Pending { }
        record OwnedUnheldState(String playerId, long epoch) implements Pending { }
    }

    /** One player to take from a dead incarnation: {@code from} its owner record there (rule 12). */
    private record Takeover(String playerId, OwnerRecord from, long deadIncarnation) {
    }

    /**
     * A player restored after a crash whose client this node has not found yet: the epoch it was restored at, and
     * its checkpoint's tick and last applied input.
     */
    private record Restored(long epoch, long stateTick, long lastAppliedSeq) {

        ToGateway.Route route(String playerId) {
            return new ToGateway.Route(playerId, epoch, lastAppliedSeq);
        }
    }

    static final long REMOVAL_RETRY_NANOS = 1_000_000_000L;
    static final int MAX_OWED_REMOVALS = 65_536;
    static final int REMOVALS_PER_RETRY = 256;
    /** Commits that may wait for a cut at once; a source holds far fewer handovers in flight. */
    static final int MAX_COMMITS_WAITING = 4_096;
    /** Takeovers in flight at once while reconciling; the rest wait for answers. */
    static final int TAKEOVERS_IN_FLIGHT = 256;
    /** Restored players whose window ran out that are remembered for a late ACK: far more than a takeover restores. */
    static final int MAX_EXPIRED_RESTORES = 4_096;
    private static final String GONE_REASON = "your player was restored after a crash, and its resume window ran"
            + " out before your connection was found; connect again to join as a new player";
    /** How often a restored player's ROUTE goes again to every gateway known, until one names its client. */
    static final long RESTORE_ROUTE_EVERY_NANOS = 1_000_000_000L;
    /** After a failed directory call while reconciling, the wait before it is made again. */
    static final long RECONCILE_RETRY_NANOS = 1_000_000_000L;
    /** How often a node that reconciled at start reads its players again (see {@link #sweepOwnIfDue}). */
    static final long OWN_SWEEP_NANOS = 2_000_000_000L;
    /** Gateways remembered; there are a handful, so more than this is a misbehaving peer and is not followed. */
    static final int MAX_GATEWAYS = 64;
    /**
     * How long a gateway's link may be down before its players are disconnected (their resume windows start): longer
     * than the gateway's redial backoff (at most 2 s), so that a blip costs nothing.
     */
    static final long GATEWAY_GRACE_NANOS = 5_000_000_000L;

    private final NodeCoreSettings settings;
    /** Owner records of departed players whose removal failed, oldest first: tried again from the tick. */
    private final Map<String, OwnerRecord> owedRemovals = new LinkedHashMap<>();
    private long removalsRetryAt;
    private final World world;
    /** The directory's, as last read: a dead node's cells move to the node that takes it over. */
    private CellAssignment assignment;
    private final HandoverTokens tokens;
    private final BooleanSupplier crossNodeEnabled;
    private final RandomGenerator random;
    private final WorldInfo info;
    private final SnapshotEncoder encoder;
    private final SourceHandovers source;
    private final TargetHandovers<StagedPlayer> target;
    private final Map<String, Connection> connections = new HashMap<>();
    private final Map<String, Long> epochs = new HashMap<>();
    private final Map<Long, Pending> pendingOps = new HashMap<>();
    private final Map<Long, PeerCall> pendingCalls = new HashMap<>();
    /** Players activated here whose cross-node cell_change waits for the first ROUTE, with the cell they left. */
    private final Map<String, CellRef> arrivedFrom = new HashMap<>();
    /**
     * Players activated here whose ROUTE the gateway has not acknowledged yet, with that epoch. Until it does, what
     * the link brings for them was forwarded under an older route (this node's earlier term, say); the gateway
     * replays it, in order, right after the ACK.
     */
    private final Map<String, Long> awaitingSwitch = new HashMap<>();
    /** Inputs that reached this node while it was fenced, per player in arrival order: applied once it is back. */
    private final Map<String, List<ToNode.Input>> keptWhileFenced = new LinkedHashMap<>();
    /**
     * Takeovers whose answer ("restore it here") reached this node while it was fenced: it simulates nothing then,
     * so they wait, like its own players, until it holds its lease again (no node can have taken this incarnation's
     * players meanwhile, those included) or stops (they were taken with the rest). At most one per takeover in flight.
     */
    private final Map<String, DeferredRestore> restoresWhileFenced = new LinkedHashMap<>();

    private record DeferredRestore(long epoch, byte[] state) {
    }

    /** Inputs that reached a player frozen for a handover, in arrival order: applied if it aborts. */
    private final Map<String, List<ToNode.Input>> keptWhileFrozen = new HashMap<>();
    private final List<OutboundTransfer> outbound = new ArrayList<>();
    private final NodeCounters counters = new NodeCounters();
    private List<NodeEffect> out = new ArrayList<>();
    private NodeLifecycle lifecycle = NodeLifecycle.STARTING;
    /** What the node was doing when its lease lapsed: it goes back to reconciling, if it was, on regaining it. */
    private NodeLifecycle fencedFrom = NodeLifecycle.RUNNING;
    private long nowNanos;
    private long wallMillis;
    private long nextOp = 1;
    /** The node's lease, or null for a node that holds none. */
    private final LeaseKeeper lease;
    private final CutSchedule cuts;
    /** While reconciling: this node's ground has been taken back from its previous incarnation (or need not be). */
    private boolean groundTaken;
    private boolean groundAsking;
    /** Gateways that have linked to this node (where a restored player's ROUTE goes), and their links' state. */
    private final GatewayPresence gateways = new GatewayPresence(MAX_GATEWAYS, GATEWAY_GRACE_NANOS);
    private final Map<String, Restored> restored = new LinkedHashMap<>();
    /**
     * Restored players whose resume window ran out before any gateway named their client, and the epoch they were
     * restored at: a gateway whose ACK comes after that is told the player is gone ({@link ToGateway.Gone}), so
     * that its client joins anew instead of waiting on a route to nobody. The oldest are forgotten past
     * {@link #MAX_EXPIRED_RESTORES}; an ACK for one of those goes unanswered, as any ACK for a player unknown here.
     */
    private final Map<String, Long> expiredRestores = new LinkedHashMap<>();
    /** While reconciling: this id's incarnations up to this one are dead; -1 when not reconciling. */
    private long previousIncarnation = -1;
    /** While reconciling: the directory's list of this id's players is asked for, or has answered. */
    private boolean ownedAsking;
    private boolean ownedAsked;
    /** Players still to take over (at start, or from a dead node). */
    private final Map<String, Takeover> toTakeOver = new LinkedHashMap<>();
    /**
     * Players with a takeover (or its session read) in flight, at most {@link #TAKEOVERS_IN_FLIGHT}: another takeover
     * of one waits for its answer. Two at
     * once (asked for two dead incarnations of its owner, say) could both answer "restore it here", the later one
     * after the player restored by the first had been handed on: two owners (tag seed 7688).
     */
    private final Set<String> takingOver = new HashSet<>();
    /**
     * The previous incarnation's players, found while reconciling with no cells (they all went to a live node while
     * this one was down): that node takes them, unless it dies first and its own taker hands the cells back here.
     * Then this node takes them itself, once it has cells again.
     */
    private final Map<String, Takeover> deferredOwn = new LinkedHashMap<>();
    private long reconcileRetryAt;
    /** This start reconciled an earlier incarnation of this id, whose reservations may still be committed here. */
    private boolean reconciledAtStart;
    private boolean ownSweeping;
    private long ownSweepAt;
    private long routesResentAt;
    /** Other nodes' deaths, for a node that holds a lease; null otherwise. */
    private final DeathWatch deaths;
    private long nextWatchAt;
    private boolean watching;
    private boolean adopting;
    /** The last cell-less node whose orphans were looked for; the next reading looks at the next one. */
    private String lastSwept = "";
    /**
     * A step of taking a dead node over whose answer was lost, made again from the tick once its wait is over (each
     * step is idempotent). It is not left to the next reading of the leases: the dead node may have started again by
     * then, and the cells moved here and the players of its dead incarnation would then have no one to take them.
     */
    private DirectoryOp adoptRetryOp;
    private Pending adoptRetryPending;
    private long adoptRetryAt;

    public NodeCore(NodeCoreSettings settings, World world, CellAssignment assignment, HandoverTokens tokens,
                    BooleanSupplier crossNodeEnabled, RandomGenerator random, WorldInfo info) {
        this.settings = settings;
        this.world = world;
        this.assignment = assignment;
        this.tokens = tokens;
        this.crossNodeEnabled = crossNodeEnabled;
        this.random = random;
        this.info = info;
        this.lease = settings.lease() == null ? null : new LeaseKeeper(settings.lease());
        this.cuts = new CutSchedule(settings.checkpointNanos(), MAX_COMMITS_WAITING, MAX_OWED_REMOVALS);
        this.deaths = settings.lease() == null ? null : new DeathWatch(settings.nodeId(),
                settings.lease().ttl().toNanos());
        this.encoder = new SnapshotEncoder(settings.nodeId());
        this.source = new SourceHandovers(settings.nodeId(), settings.handover());
        this.target = new TargetHandovers<>(settings.nodeId(), settings.handover());
        world.setCrossingPolicy(this::decideCrossing);
        world.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
                cellChange(change.playerId(), change.from(), change.to(), change.tick(), "local");
            }

            @Override
            public void onGameEvent(String playerId, byte[] json) {
                toClient(playerId, json, false);
            }

            @Override
            public void onOutbound(OutboundTransfer transfer) {
                outbound.add(transfer);
            }

            @Override
            public void onLeft(String playerId) {
                left(playerId);
            }
        });
    }

    public String nodeId() { return settings.nodeId(); }
    public World world() { return world; }
    public NodeLifecycle lifecycle() { return lifecycle; }
    public NodeCounters counters() { return counters; }
    public int handoversInFlight() { return source.inFlight() + target.inFlight(); }
    public boolean isStaged(String playerId) { return target.isStaged(playerId); }
    public boolean isHandingOver(String playerId) { return source.isHandingOver(playerId); }
    /**
     * Whether it is taking over a dead node's cells or players, or its own earlier incarnation's, or was fenced in
     * the middle of its reconcile (its world may still be the game's fresh start, not its ground).
     */
    public boolean recovering() {
        return adopting || !toTakeOver.isEmpty() || !takingOver.isEmpty()
                || (lifecycle == NodeLifecycle.FENCED && fencedFrom == NodeLifecycle.RECONCILING);
    }

    /** Moves the lifecycle on; STARTING -> RECONCILING -> RUNNING at start (nothing to reconcile yet). */
    public void moveTo(NodeLifecycle next) {
        lifecycle = lifecycle.moveTo(next);
    }

    /** Handles one input at the given time; returns what to do. */
    public List<NodeEffect> handle(NodeInput input, long nowNanos, long wallMillis) {
        this.nowNanos = nowNanos;
        this.wallMillis = wallMillis;
        out = new ArrayList<>();
        keepLease();
        switch (input) {
            case NodeInput.FromGateway g -> fromGateway(g.gatewayId(), g.frame());
            case NodeInput.FromPeer p -> fromPeer(p.requestId(), p.request());
            case NodeInput.PeerAnswered a -> peerAnswered(a.callId(), a.reply());
            case NodeInput.PeerUnreachable u -> peerUnreachable(u.callId());
            case NodeInput.DirectoryAnswered a -> directoryAnswered(a.opId(), a.result());
            case NodeInput.DirectoryFailed f -> directoryFailed(f.opId());
            case NodeInput.TimerFired t -> apply(t.key().side() == Side.SOURCE ? source.onTimer(t.key(), nowNanos)
                    : target.onTimer(t.key(), nowNanos));
            case NodeInput.Reconcile r -> startReconcile(r.previousIncarnation());
            case NodeInput.GatewayLinked g -> gatewayLinked(g.gatewayId(), g.incarnation());
            case NodeInput.GatewayUnlinked g -> gateways.unlinked(g.gatewayId(), nowNanos);
            case NodeInput.Tick t -> tick(t.tick());
            case NodeInput.Query<?> q -> query(q);
            case NodeInput.BenchHandover b -> b.result().complete(benchHandover(b.playerId()));
        }
        return out;
    }

    private <T> void query(NodeInput.Query<T> q) {
        try {
            q.result().complete(q.query().apply(this));
        } catch (RuntimeException e) { // a failing query must not end the simulation thread
            q.result().completeExceptionally(e);
        }
    }

    // ---- gateway frames

    private void fromGateway(String gatewayId, ToNode frame) {
        switch (frame) {
            case ToNode.Attach a -> attach(gatewayId, a);
            case ToNode.Input i -> input(gatewayId, i);
            case ToNode.Detach d -> {
                if (connections.remove(d.playerId(), new Connection(gatewayId, d.connectionId()))) {
                    disconnected(d.playerId());
                }
            }
            case ToNode.RouteAck ack -> {
                if (awaitingSwitch.getOrDefault(ack.playerId(), Long.MAX_VALUE) <= ack.epoch()) {
                    awaitingSwitch.remove(ack.playerId());
                }
                Restored r = restored.get(ack.playerId());
                if (r != null && r.epoch() == ack.epoch() && ack.connectionId() != ToNode.RouteAck.NO_CONNECTION) {
                    recovered(gatewayId, ack.playerId(), ack.connectionId(), r);
                } else if (r == null && ack.connectionId() != ToNode.RouteAck.NO_CONNECTION
                        && epochs.getOrDefault(ack.playerId(), -1L) == ack.epoch()
                        && world.player(ack.playerId()).filter(p -> !p.frozen()).isPresent()) {
                    // Arrived here: the gateway's switch names where its client is now. It may have resumed on another
                    // connection while the player was on its way (after a gateway restart, say), and the player may
                    // have come disconnected; without this its window would run out under a connected client.
                    connections.put(ack.playerId(), new Connection(gatewayId, ack.connectionId()));
                    world.resume(ack.playerId());
                } else if (r == null && ack.connectionId() != ToNode.RouteAck.NO_CONNECTION
                        && expiredRestores.remove(ack.playerId(), ack.epoch())) {
                    send(gatewayId, new ToGateway.Gone(ack.playerId(), ack.epoch(), ack.connectionId(), GONE_REASON));
                }
                apply(target.onRouteAck(ack.playerId(), ack.epoch(), nowNanos));
            }
            case ToNode.Echo echo -> send(gatewayId, new ToGateway.EchoReply(echo.id()));
        }
    }

    private void attach(String gatewayId, ToNode.Attach a) {
        if (lifecycle == NodeLifecycle.FENCED) {
            send(gatewayId, new ToGateway.Refused(a.connectionId(), "node " + nodeId() + " is " + lifecycle));
            return;
        }
        if (a.resumePlayerId() != null && resumableHere(a.resumePlayerId())) {
            Optional<Player> resumed = world.resume(a.resumePlayerId());
            if (resumed.isPresent()) {
                Player p = resumed.get();
                awaitingSwitch.remove(p.id()); // the gateway routes this connection here from its answer on
                restored.remove(p.id()); // its client found it here by itself
                connections.put(p.id(), new Connection(gatewayId, a.connectionId()));
                send(gatewayId, new ToGateway.Attached(a.connectionId(), p.id(), true, p.lastAppliedSeq(),
                        epochOf(p.id()), info));
                return;
            }
        }
        if (lifecycle != NodeLifecycle.RUNNING) {
            send(gatewayId, new ToGateway.Refused(a.connectionId(), "node " + nodeId() + " is " + lifecycle));
            return;
        }
        if (world.ownedCells().isEmpty()) { // a gateway that has not read the newest assignment yet
            send(gatewayId, new ToGateway.Refused(a.connectionId(), "node " + nodeId() + " owns no cells; retry"));
            return;
        }
        if (a.resumePlayerId() != null) {
            // Not here, but it may still be in the world: staged here and not activated yet, being restored, or on
            // another node (the gateway's answer was stale). Only the directory knows whether it is gone for good.
            call(new DirectoryOp.ReadOwner(a.resumePlayerId()),
                    new Pending.ResumeNotHere(gatewayId, gateways.incarnationOf(gatewayId), a));
            return;
        }
        join(gatewayId, a);
    }

    /**
     * False for a player held here only as the frozen source copy of a handover known to have committed: the player
     * is the target's (or, after a failover, its taker's, and may have left the game since), and this copy is never
     * simulated again. A client attached to it would wait on its inputs for good; such a resume goes as one for a
     * player not held here (the directory says where it is, or that it is gone).
     */
    private boolean resumableHere(String playerId) {
        return !source.committed(playerId);
    }

    /**
     * The directory's answer for a resume whose player this node did not hold: a player the directory no longer
     * knows left the world, and the client joins as a new one; any other is somewhere in the world, and the client
     * tries again (its gateway reads the owner afresh), rather than losing it to a new player.
     */
    private void resumeNotHere(Pending.ResumeNotHere r, Optional<OwnerRecord> owner) {
        ToNode.Attach a = r.attach();
        if (gateways.incarnationOf(r.gatewayId()) != r.gatewayStart()) {
            return; // the gateway started again meanwhile: the client is gone, and its connection number reused
        }
        if (world.player(a.resumePlayerId()).isPresent() && resumableHere(a.resumePlayerId())) {
            attach(r.gatewayId(), a); // it arrived meanwhile
            return;
        }
        if (owner.isPresent()) {
            counters.resumesNotHere++;
            send(r.gatewayId(), new ToGateway.Refused(a.connectionId(), "player " + a.resumePlayerId()
                    + " is not on node " + nodeId() + " now (the directory names " + owner.get() + "); retry"));
            return;
        }
        if (lifecycle != NodeLifecycle.RUNNING || world.ownedCells().isEmpty()) {
            send(r.gatewayId(), new ToGateway.Refused(a.connectionId(), "node " + nodeId() + " is " + lifecycle
                    + "; retry"));
            return;
        }
        join(r.gatewayId(), a);
    }

    /**
     * An answer to an ATTACH that waited on the directory, unless the gateway has started again since: the new start
     * numbers its connections from 1 again, and the answer would reach another client.
     */
    private void answerAttach(String gatewayId, long gatewayStart, ToGateway answer) {
        if (gateways.incarnationOf(gatewayId) == gatewayStart) {
            send(gatewayId, answer);
        }
    }

    private void join(String gatewayId, ToNode.Attach a) {
        // The node that owns the spawn cell creates the player and writes its first owner record. It joins the game
        // only then: a player the directory has not heard of would be in no checkpoint, and whatever it picked up
        // would be lost with it should this node die before the create lands.
        Player p = world.newcomer(a.name());
        call(new DirectoryOp.CreatePlayer(p.id(), nodeId(), PlayerStateCodec.encode(world.stateOfNewcomer(p))),
                new Pending.Create(gatewayId, gateways.incarnationOf(gatewayId), a.connectionId(), p));
        counters.joins++;
    }

    private void input(String gatewayId, ToNode.Input i) {
        // Checked before a fenced node keeps anything: an input forwarded under an older route (before the gateway
        // switched to this node's ROUTE) is replayed by the gateway after its ACK. Kept while fenced, it would be
        // applied, in seq order, ahead of the part of that replay still on its way, and make it stale: never applied.
        Connection c = connections.get(i.playerId());
        if (c == null || !c.gatewayId().equals(gatewayId) || awaitingSwitch.containsKey(i.playerId())) {
            counters.inputsUnrouted++; // staged, handed on, not switched yet, or another gateway's: it is replayed
            return;
        }
        if (lifecycle == NodeLifecycle.FENCED) {
            // Held in place: kept, in order, and applied once the lease is back (a lapse is not a crash, and the
            // gateway sends an input once); if the node is taken over instead, the gateway replays it to the taker.
            counters.inputsWhileFenced++;
            List<ToNode.Input> kept = keptWhileFenced.computeIfAbsent(i.playerId(), id -> new ArrayList<>());
            if (kept.size() < MAX_KEPT_WHILE_FROZEN) {
                kept.add(i);
            }
            return;
        }
        InputOutcome outcome = world.applyInput(i.playerId(), i.input());
        switch (outcome) {
            case BAD_ACTION -> toClient(i.playerId(), ServerMessages.error(ErrorCode.BAD_ACTION,
                    world.actionProblem(i.input().action()).orElse("bad action")).getBytes(StandardCharsets.UTF_8),
                    false);
            case FROZEN -> {
                // The gateway sent it before it saw the HOLD and replays it after the decision. But after an ABORT
                // a later input may reach this node before that replay and be applied first, and the replay would
                // then come too late: so keep it, and apply what was kept as soon as the player is unfrozen.
                counters.inputsWhileFrozen++;
                List<ToNode.Input> kept = keptWhileFrozen.computeIfAbsent(i.playerId(), id -> new ArrayList<>());
                if (kept.size() < MAX_KEPT_WHILE_FROZEN) {
                    kept.add(i);
                }
            }
            default -> { }
        }
    }

    // ---- the tick

    private void tick(long tick) {
        if (lifecycle == NodeLifecycle.FENCED || lifecycle == NodeLifecycle.STOPPED
                || lifecycle == NodeLifecycle.STARTING) {
            return;
        }
        try {
            world.advanceTo(tick);
        } catch (RuntimeException e) {
            counters.tickFailures++; // a game's bug must not stop the world; snapshots still go out
        }
        startOutbound();
        retryRemovals();
        checkpointIfDue();
        reconcileIfDue();
        sweepOwnIfDue();
        adoptRetryIfDue();
        resendRestoredRoutes();
        gateways.lapsedNow(nowNanos).forEach(this::gatewayLapsed);
        watchIfDue();
        encoder.encode(world, this::snapshot);
        for (ClusterOp op : world.drainClusterOps()) {
            switch (op) {
                case ClusterOp.Read r -> call(new DirectoryOp.ReadGameState(r.key()), new Pending.Cluster(op));
                case ClusterOp.CompareAndSet c -> call(new DirectoryOp.CasGameState(c.key(), c.expectedVersion(),
                        c.value()), new Pending.Cluster(op));
                // Two steps, not one atomic one: a player who has left never comes back, so "left" read first
                // still holds when the write lands.
                case ClusterOp.CompareAndSetIfLeft c -> call(new DirectoryOp.ReadOwner(c.leaver()),
                        new Pending.ClusterIfLeft(c));
            }
        }
    }

    private CrossingDecision decideCrossing(Player player, CellRef from, CellRef to) {
        if (!crossNodeEnabled.getAsBoolean()) {
            return new CrossingDecision.Hold("cross-node handover is off");
        }
        if (lifecycle != NodeLifecycle.RUNNING) {
            return new CrossingDecision.Hold("this node is " + lifecycle.name().toLowerCase());
        }
        Optional<String> owner = assignment.ownerOf(to);
        if (owner.isEmpty() || owner.get().equals(nodeId())) {
            return new CrossingDecision.Hold("no node owns cell " + to);
        }
        if (!connections.containsKey(player.id())) {
            return new CrossingDecision.Hold("not connected");
        }
        if (awaitingSwitch.containsKey(player.id())) {
            // The gateway has not acknowledged this node's ROUTE: a handover on from here could have the next
            // owner's ROUTE reach it first, over another link, and fence away this node's cell_change and snapshots,
            // so that the client would never hear it was here.
            return new CrossingDecision.Hold("waiting for the gateway to route this player here");
        }
        if (source.atCapacity()) {
            counters.heldAtCapacity++;
            return new CrossingDecision.Hold("too many handovers in flight; waiting");
        }
        return CrossingDecision.HANDOVER;
    }

    /** Starts a handover for every player the world froze since the last call; returns the players' tokens. */
    private Map<String, String> startOutbound() {
        if (outbound.isEmpty()) {
            return Map.of();
        }
        List<OutboundTransfer> crossing = List.copyOf(outbound);
        outbound.clear();
        Map<String, String> tokens = new HashMap<>();
        for (OutboundTransfer t : crossing) {
            tokens.put(t.playerId(), startHandover(t));
        }
        return tokens;
    }

    /**
     * The benchmark hook: the same crossing a walking player makes at a tick (policy asked, player frozen the
     * margin past the border, PREPARE sent), made now and across the nearest node border, so that neither walking
     * nor the minimum dwell limits how many handovers a benchmark can start.
     */
    private BenchHandoverStart benchHandover(String playerId) {
        Player p = world.player(playerId).orElse(null);
        if (p == null) {
            return new BenchHandoverStart.Refused("no player " + playerId + " on node " + nodeId());
        }
        if (p.frozen()) {
            return new BenchHandoverStart.Refused("player " + playerId + " is being handed over already");
        }
        Optional<CellRef> to = world.nearestForeignNeighbour(playerId);
        if (to.isEmpty()) {
            return new BenchHandoverStart.Refused("no cell next to cell " + p.cell() + " belongs to another node");
        }
        if (decideCrossing(p, p.cell(), to.get()) instanceof CrossingDecision.Hold hold) {
            return new BenchHandoverStart.Refused(hold.reason());
        }
        world.freezeForHandover(playerId, to.get());
        String token = startOutbound().get(playerId);
        return new BenchHandoverStart.Started(token, assignment.ownerOf(to.get()).orElseThrow());
    }

    private String startHandover(OutboundTransfer t) {
        Connection c = connections.get(t.playerId());
        String targetNode = assignment.ownerOf(t.to()).orElseThrow();
        long epoch = epochOf(t.playerId());
        long expires = wallMillis + settings.handover().prepareTimeout().toMillis();
        UUID uuid = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L); // version 4, IETF variant
        String token = tokens.mint(uuid, t.playerId(), t.from(), t.to(), epoch, expires);
        PeerRequest.Prepare prepare = new PeerRequest.Prepare(t.playerId(), nodeId(), targetNode, c.gatewayId(),
                c.connectionId(), t.from(), t.to(), t.state().atEpoch(epoch), token, expires, epoch);
        counters.handoversStarted++;
        apply(source.start(prepare, nowNanos));
        return token;
    }

    // ---- peers

    private void fromPeer(long requestId, PeerRequest request) {
        switch (request) {
            case PeerRequest.Prepare p -> apply(target.onPrepare(requestId, p, this::admit, nowNanos));
            // Being restored here already (a takeover or an own sweep, whose session read is in flight): that
            // restores it; the source sends its COMMIT again, and is then told the token is unknown here.
            case PeerRequest.Commit c when takingOver.contains(c.playerId()) && !target.knows(c.token())
                    && world.player(c.playerId()).isEmpty() -> out.add(new NodeEffect.ReplyPeer(requestId,
                    new PeerReply.Refused(503, "busy", "player " + c.playerId() + " is being restored on node "
                            + nodeId() + "; retry")));
            case PeerRequest.Commit c when lostReservation(c) -> call(new DirectoryOp.ReadOwner(c.playerId()),
                    new Pending.LostReservation(requestId, c));
            // Not running yet (reconciling, fenced): a reservation lost with an earlier incarnation cannot be looked
            // into now, and "unknown token" would make the source drop its copy for good while the reconcile may
            // have read this node's players before the commit landed. The source sends its COMMIT again.
            case PeerRequest.Commit c when lifecycle != NodeLifecycle.RUNNING && !target.knows(c.token())
                    && world.player(c.playerId()).isEmpty() -> out.add(new NodeEffect.ReplyPeer(requestId,
                    new PeerReply.Refused(503, "not_running", "node " + nodeId() + " is " + lifecycle + "; retry")));
            case PeerRequest.Commit c -> apply(target.onCommit(requestId, c, nowNanos));
            case PeerRequest.Abort a -> apply(target.onAbort(requestId, a, nowNanos));
            case PeerRequest.Cleanup c -> apply(source.onCleanup(requestId, c, nowNanos));
        }
    }

    /**
     * A COMMIT for a handover this node has no trace of, for a player it does not hold: it reserved the player in an
     * earlier incarnation that died with the staged copy. The commit made the state durable in the directory
     * (rule 5), so should the directory name this node the owner at the COMMIT's epoch, the player is restored from
     * there, as a takeover would, and the COMMIT confirmed; otherwise it is refused as before.
     */
    private boolean lostReservation(PeerRequest.Commit c) {
        return lifecycle == NodeLifecycle.RUNNING && !target.knows(c.token()) && world.player(c.playerId()).isEmpty()
                && !source.isHandingOver(c.playerId());
    }

    private void lostReservationOwner(Pending.LostReservation l, Optional<OwnerRecord> owner) {
        if (owner.filter(o -> o.equals(new OwnerRecord(nodeId(), l.commit().epoch()))).isPresent()
                && world.player(l.commit().playerId()).isEmpty()) {
            call(new DirectoryOp.ReadSession(l.commit().playerId()), new Pending.LostReservationState(l.requestId(),
                    l.commit()));
        } else {
            apply(target.onCommit(l.requestId(), l.commit(), nowNanos));
        }
    }

    private void lostReservationState(Pending.LostReservationState l, Optional<SessionRecord> session) {
        PeerRequest.Commit c = l.commit();
        if (session.filter(s -> s.epoch() == c.epoch()).isPresent() && world.player(c.playerId()).isEmpty()
                && epochs.get(c.playerId()) == null) {
            byte[] state = session.get().state();
            if (PlayerStateCodec.decode(state) instanceof StateDecoded.Ok ok && ok.state().epoch() == c.epoch()) {
                // Handed over at e + 1, as the commit wrote it; a restore arrives from the epoch before.
                state = PlayerStateCodec.encode(ok.state().atEpoch(c.epoch() - 1));
            }
            restore(c.playerId(), c.epoch(), state);
            if (world.player(c.playerId()).isPresent()) {
                counters.lostReservationsRestored++;
                out.add(new NodeEffect.ReplyPeer(l.requestId(), new PeerReply.Confirmed(c.token(), c.epoch())));
                return;
            }
        }
        apply(target.onCommit(l.requestId(), c, nowNanos));
    }

    private Admission<StagedPlayer> admit(PeerRequest.Prepare p) {
        if (lifecycle != NodeLifecycle.RUNNING) {
            return new Admission.Reject<>(RejectReason.NOT_RUNNING, "node " + nodeId() + " is " + lifecycle);
        }
        if (!tokens.verify(p.token(), p.playerId(), p.fromCell(), p.toCell(), p.epoch(), p.expiresAtMillis())) {
            return new Admission.Reject<>(RejectReason.BAD_TOKEN, "the handover token's signature does not match");
        }
        if (p.state().epoch() != p.epoch() || !p.state().playerId().equals(p.playerId())) {
            return new Admission.Reject<>(RejectReason.MALFORMED, "the state is not the named player's at the epoch");
        }
        if (!world.owns(p.toCell())) {
            return new Admission.Reject<>(RejectReason.NOT_OWNER_OF_CELL, "node " + nodeId() + " does not own "
                    + p.toCell());
        }
        if (source.isHandingOver(p.playerId()) || world.player(p.playerId()).isPresent()) {
            return new Admission.Reject<>(RejectReason.HANDING_OVER, "player " + p.playerId() + " is here already");
        }
        if (wallMillis > p.expiresAtMillis()) {
            return new Admission.Reject<>(RejectReason.EXPIRED, "the handover expired by this node's clock");
        }
        return switch (world.stage(p.state(), p.fromCell())) {
            case StageResult.Staged s -> new Admission.Admit<>(s.player());
            case StageResult.Refused r -> new Admission.Reject<>(RejectReason.BAD_SESSION_DATA, r.reason());
        };
    }

    private void peerAnswered(long callId, PeerReply reply) {
        PeerCall h = pendingCalls.remove(callId);
        if (h != null) {
            apply(h.side() == Side.SOURCE ? source.onReply(h.token(), reply, nowNanos)
                    : target.onReply(h.token(), reply, nowNanos));
        }
    }

    private void peerUnreachable(long callId) {
        PeerCall h = pendingCalls.remove(callId);
        if (h != null) {
            apply(h.side() == Side.SOURCE ? source.onSendFailed(h.token(), nowNanos)
                    : target.onSendFailed(h.token(), nowNanos));
        }
    }

    // ---- the lease and checkpoints

    /**
     * Before every input: a node whose lease may have run out stops simulating and accepts nothing (FENCED) until
     * it holds the lease again; handovers in flight still end, through the directory, which fences them.
     */
    private void keepLease() {
        if (lease == null || lifecycle == NodeLifecycle.STOPPED) {
            return;
        }
        // A reconciling node simulates the players it has restored, so it too stops when its lease lapses (else it
        // would simulate them on after a pause while another node took them over).
        if ((lifecycle == NodeLifecycle.RUNNING || lifecycle == NodeLifecycle.DRAINING
                || lifecycle == NodeLifecycle.RECONCILING) && !lease.valid(nowNanos)) {
            fencedFrom = lifecycle;
            lifecycle = lifecycle.moveTo(NodeLifecycle.FENCED);
            counters.leasesLost++;
        }
        if (lease.due(nowNanos)) {
            call(lease.hold(nodeId(), nowNanos), new Pending.Lease());
        }
    }

    private void leaseAnswered(LeaseOutcome outcome) {
        if (!lease.answered(outcome, nowNanos)) {
            counters.leaseRefusals++;
            if (outcome instanceof LeaseOutcome.TakenOver) {
                // Other nodes own this incarnation's players now: it must never simulate again (a restart is a new
                // incarnation, which reconciles against the directory).
                lifecycle = lifecycle.moveTo(NodeLifecycle.STOPPED);
                keptWhileFenced.clear();
                restoresWhileFenced.clear();
            }
            return;
        }
        // A hold counts from when it was sent: an answer that reaches a node after a long pause (its hold taken long
        // before, the lease run out since, and the players perhaps taken over) says nothing about now.
        if (lifecycle == NodeLifecycle.FENCED && lease.valid(nowNanos)) {
            // Held again by this incarnation: no node has taken any of its players over, since the first takeover
            // fences the incarnation and this hold would have been refused. Nothing was simulated meanwhile, so
            // there is nothing to reconcile beyond what the handover machines do anyway.
            lifecycle = lifecycle.moveTo(NodeLifecycle.RECONCILING);
            if (fencedFrom != NodeLifecycle.RECONCILING) {
                lifecycle = lifecycle.moveTo(NodeLifecycle.RUNNING);
            } // else its reconcile goes on from the tick (reconcileIfDue)
            counters.leasesRegained++;
            Map<String, DeferredRestore> deferred = new LinkedHashMap<>(restoresWhileFenced);
            restoresWhileFenced.clear();
            deferred.forEach((player, d) -> restore(player, d.epoch(), d.state()));
            Map<String, List<ToNode.Input>> kept = new LinkedHashMap<>(keptWhileFenced);
            keptWhileFenced.clear();
            kept.forEach((player, inputs) -> {
                Connection c = connections.get(player);
                if (c != null) {
                    // In seq order: an ABORT while fenced hands in the inputs its frozen player kept after later ones.
                    inputs.stream().sorted(Comparator.comparingLong(i -> i.input().seq()))
                            .forEach(i -> input(c.gatewayId(), i));
                }
            });
        }
    }

    // ---- reconciling at start (rule 11) and restoring after a crash (rule 12)

    private void startReconcile(long previous) {
        boolean fencedWhileReconciling = lifecycle == NodeLifecycle.FENCED && fencedFrom == NodeLifecycle.RECONCILING;
        if ((lifecycle != NodeLifecycle.RECONCILING && !fencedWhileReconciling) || previousIncarnation >= 0) {
            return;
        }
        previousIncarnation = previous;
        reconcileRetryAt = nowNanos;
        reconciledAtStart = true;
        ownSweepAt = nowNanos + OWN_SWEEP_NANOS;
        if (lifecycle == NodeLifecycle.RECONCILING) {
            askOwnGround();
        } // else it asks once its lease is held again (reconcileIfDue)
    }

    /** Reconcile's first step: this node's cells come back as its previous incarnation last cut them. */
    private void askOwnGround() {
        groundAsking = true;
        List<CellRef> cells = world.ownedCells();
        call(new DirectoryOp.TakeGround(nodeId(), previousIncarnation, cellKeys(cells)), new Pending.OwnGround(cells));
    }

    private void ownGroundTaken(Pending.OwnGround g, GroundTakeover outcome) {
        groundAsking = false;
        switch (outcome) {
            case GroundTakeover.LeaseLive l -> reconcileRetryAt = nowNanos + RECONCILE_RETRY_NANOS;
            case GroundTakeover.Taken t -> {
                counted(world.restoreGround(byCell(t.ground(), g.cells())));
                groundTaken = true;
                askOwned();
            }
        }
    }

    private void askOwned() {
        ownedAsking = true;
        call(new DirectoryOp.PlayersOf(nodeId()), new Pending.Reconcile());
    }

    /** From the tick: a reconcile or takeover call that failed is made again once its wait is over. */
    private void reconcileIfDue() {
        if (nowNanos - reconcileRetryAt < 0) {
            return;
        }
        if (lifecycle == NodeLifecycle.RUNNING && !deferredOwn.isEmpty() && !adopting
                && !world.ownedCells().isEmpty()) {
            toTakeOver.putAll(deferredOwn); // asked with the owner record read then: one taken meanwhile is skipped
            deferredOwn.clear();
        }
        if (lifecycle == NodeLifecycle.RUNNING && !toTakeOver.isEmpty()) {
            pumpTakeovers();
            return;
        }
        if (lifecycle != NodeLifecycle.RECONCILING || previousIncarnation < 0) {
            return;
        }
        if (!groundTaken) {
            if (!groundAsking) {
                askOwnGround();
            }
            return;
        }
        if (!ownedAsked) {
            if (!ownedAsking) {
                askOwned();
            }
            return;
        }
        pumpTakeovers();
    }

    private void pumpTakeovers() {
        var next = toTakeOver.entrySet().iterator();
        while (takingOver.size() < TAKEOVERS_IN_FLIGHT && next.hasNext() && nowNanos - reconcileRetryAt >= 0) {
            Takeover t = next.next().getValue();
            if (!takingOver.add(t.playerId())) {
                continue; // one is in flight already: this one goes once it is answered
            }
            next.remove();
            call(new DirectoryOp.TakeOver(t.playerId(), t.from(), t.deadIncarnation(), nodeId()),
                    new Pending.Restore(t));
        }
        if (lifecycle == NodeLifecycle.RECONCILING && ownedAsked && toTakeOver.isEmpty() && takingOver.isEmpty()) {
            previousIncarnation = -1;
            lifecycle = lifecycle.moveTo(NodeLifecycle.RUNNING);
        }
    }

    private void restoreAnswered(Takeover takeover, TakeoverOutcome outcome) {
        String playerId = takeover.playerId();
        switch (outcome) {
            case TakeoverOutcome.TookOver t -> restore(playerId, t.owner().epoch(), t.state());
            // Owned here at a newer epoch than any copy here: a takeover whose answer was lost took effect. Restore
            // from the record (a frozen copy this node holds, at an older epoch, as the source of a handover to the
            // dead node departs then, as in restore: the commit stands). A copy here at the record's epoch is
            // simply this node's player.
            case TakeoverOutcome.NotOwner n when n.current().filter(o -> o.node().equals(nodeId())).isPresent()
                    && world.player(playerId).filter(p -> !source.isHandingOver(playerId)
                            || p.epoch() >= n.current().orElseThrow().epoch()).isEmpty()
                    && !removalOwed(playerId, n.current().orElseThrow().epoch()) -> {
                takingOver.add(playerId);
                long epoch = n.current().orElseThrow().epoch();
                call(new DirectoryOp.ReadSession(playerId), new Pending.RestoreFromSession(takeover, epoch));
            }
            // Handed on, removed, or a previous incarnation alive after all: nothing of it is this node's.
            case TakeoverOutcome.NotOwner n -> counters.restoresSkipped++;
            case TakeoverOutcome.LeaseLive l -> counters.restoresSkipped++;
        }
    }

    /**
     * Puts the player back into the world from its checkpoint at {@code epoch}, disconnected (its resume window
     * runs) until a gateway answers its ROUTE naming its client; the game's {@code onRestore} runs for it.
     */
    private void restore(String playerId, long epoch, byte[] stateBytes) {
        if (lifecycle == NodeLifecycle.FENCED) {
            // An answer that waited out a pause (a hang, say) longer than the lease: the players may have been
            // taken from this incarnation since, this one among them, and have moved on or left the game.
            restoresWhileFenced.put(playerId, new DeferredRestore(epoch, stateBytes));
            return;
        }
        if (lifecycle == NodeLifecycle.STOPPED) {
            return;
        }
        if (!(PlayerStateCodec.decode(stateBytes) instanceof StateDecoded.Ok ok)) {
            counters.restoresRefused++; // the directory names it this node's at epoch, so a later start tries again
            return;
        }
        // This node may still hold the player frozen, as the source of a handover committed to the node it now takes
        // over: the commit stands, so that copy departs now and the player comes back from the target's checkpoint
        // (else the copy would refuse the restore, and the handover's end would then drop it: a player lost).
        apply(source.targetTakenOver(playerId, nowNanos));
        PlayerState state = world.placedInOwnedCells(ok.state());
        if (state.epoch() >= epoch) {
            // Written at the record's own epoch (a commit to this node writes the handed-over state at e + 1): it
            // arrives, like any restore, from the epoch before.
            state = state.atEpoch(epoch - 1);
        }
        if (!(world.stage(state, world.cellUnder(state.x(), state.z())) instanceof StageResult.Staged staged)) {
            counters.restoresRefused++; // its cell is not this node's now, say
            return;
        }
        world.restore(staged.player(), epoch);
        world.disconnect(playerId);
        epochs.put(playerId, epoch);
        Restored r = new Restored(epoch, state.tick(), state.lastAppliedSeq());
        restored.put(playerId, r);
        expiredRestores.remove(playerId);
        counters.playersRestored++;
        routesResentAt = nowNanos;
        gateways.known().forEach(gateway -> send(gateway, r.route(playerId)));
    }

    private void gatewayLinked(String gatewayId, long incarnation) {
        switch (gateways.linked(gatewayId, incarnation)) {
            case NOT_FOLLOWED -> {
                return;
            }
            case FIRST -> { }
            case AGAIN -> resync(gatewayId);
            case RETURNED -> {
                // Back from a lapse with its clients: they are connected again (those who resumed elsewhere meanwhile
                // have another gateway's connection now, and are not touched).
                List<String> back = playersOf(gatewayId);
                back.forEach(world::resume);
                counters.gatewayPlayersReconnected += back.size();
                resync(gatewayId);
            }
            case RESTARTED -> {
                // The old start died with its clients, who come back by a resume; its connection numbers mean
                // nothing now, and the new start may hand the same numbers to other clients.
                List<String> gone = playersOf(gatewayId);
                gone.forEach(player -> {
                    connections.remove(player);
                    disconnected(player);
                });
                counters.gatewayRestarts++;
                counters.gatewayPlayersDisconnected += gone.size();
            }
        }
        restored.forEach((player, r) -> send(gatewayId, r.route(player)));
        // A gateway that links only now may hold the client of a restored player whose window ran out meanwhile:
        // whatever route it has to this node for it, up to that epoch, goes (the player is no longer here).
        expiredRestores.forEach((player, epoch) -> send(gatewayId, new ToGateway.Gone(player, epoch,
                ToNode.RouteAck.NO_CONNECTION, GONE_REASON)));
    }

    /**
     * What went to a gateway while its link was down is lost, a {@code cell_change} with it: each of its players is
     * told its cell again ({@code handover: "resync"}), ahead of anything else on the new link (nothing goes to a
     * gateway between its link's loss and its return, see {@link #send}), behind its ROUTE again if the gateway may
     * not have switched to this node yet.
     */
    private void resync(String gatewayId) {
        for (String player : playersOf(gatewayId)) {
            world.player(player).ifPresent(p -> {
                Long epoch = awaitingSwitch.get(player);
                if (epoch != null) {
                    // Arrived, and its ROUTE (with the cross_node cell_change behind it) may have gone with the link:
                    // the gateway takes nothing of it from here before it has switched.
                    send(gatewayId, new ToGateway.Route(player, epoch, p.lastAppliedSeq()));
                }
                cellChange(player, p.cell(), p.cell(), world.tick(), "resync");
            });
        }
    }

    /** A gateway whose link has been down for the grace is presumed dead: its players' resume windows start. */
    private void gatewayLapsed(String gatewayId) {
        List<String> players = playersOf(gatewayId);
        players.forEach(this::disconnected);
        counters.gatewaysLapsed++;
        counters.gatewayPlayersDisconnected += players.size();
    }

    /**
     * The player's connection is gone: its resume window runs, and what was kept for that connection goes with it,
     * as at the gateway (a client that resumes goes on after the last_applied_seq it is told).
     */
    private void disconnected(String playerId) {
        world.disconnect(playerId);
        keptWhileFrozen.remove(playerId);
        keptWhileFenced.remove(playerId);
    }

    /** The players whose connection is at {@code gatewayId}. */
    private List<String> playersOf(String gatewayId) {
        List<String> players = new ArrayList<>();
        connections.forEach((player, c) -> {
            if (c.gatewayId().equals(gatewayId)) {
                players.add(player);
            }
        });
        return players;
    }

    /** A ROUTE may have gone out before a gateway's link was up, or been lost with a link: send it again. */
    private void resendRestoredRoutes() {
        if (restored.isEmpty() || nowNanos - routesResentAt < RESTORE_ROUTE_EVERY_NANOS) {
            return;
        }
        routesResentAt = nowNanos;
        restored.forEach((player, r) -> gateways.known().forEach(gateway -> send(gateway, r.route(player))));
    }

    /**
     * A gateway holds the restored player's client: it is served from here on, and told with {@code recovered} how
     * far it was set back (what it did after its checkpoint is gone, rule 12).
     */
    private void recovered(String gatewayId, String playerId, long connectionId, Restored r) {
        restored.remove(playerId);
        if (world.resume(playerId).isEmpty()) {
            return;
        }
        connections.put(playerId, new Connection(gatewayId, connectionId));
        counters.playersRecovered++;
        JsonOut o = new JsonOut(160);
        o.raw("{\"type\":\"recovered\",\"tick\":").number(world.tick())
                .raw(",\"from_tick\":").number(r.stateTick())
                .raw(",\"ticks_lost\":").number(Math.max(0, world.tick() - r.stateTick()))
                .raw(",\"last_applied_seq\":").number(r.lastAppliedSeq())
                .raw(",\"node\":").string(nodeId()).raw('}');
        toClient(playerId, o.toByteArray(), false);
    }

    /**
     * Rule 11 after the start, too: a reservation an earlier incarnation of this id made (and lost with it) may be
     * committed only after this start's reconcile read its players, by a source slowed or hung meanwhile; should that
     * source die before its COMMIT reaches here, nothing would ever tell this node, and the directory would name it
     * the owner of a player no world holds, its client's inputs held at the gateway for good (tag seeds 24506,
     * 96165). So a running node that reconciled at start reads its players every {@link #OWN_SWEEP_NANOS}, and
     * restores each it has no trace of from the state the commit wrote at that epoch (rule 5), as that COMMIT would
     * have ({@link #lostReservationState}).
     */
    private void sweepOwnIfDue() {
        if (!reconciledAtStart || ownSweeping || lifecycle != NodeLifecycle.RUNNING || world.ownedCells().isEmpty()
                || nowNanos - ownSweepAt < 0) {
            return;
        }
        ownSweeping = true;
        ownSweepAt = nowNanos + OWN_SWEEP_NANOS;
        call(new DirectoryOp.PlayersOf(nodeId()), new Pending.OwnSweep());
    }

    private void ownSwept(Map<String, Long> mine) {
        ownSweeping = false;
        if (lifecycle != NodeLifecycle.RUNNING || world.ownedCells().isEmpty()) {
            return; // the next sweep asks again
        }
        mine.forEach((player, epoch) -> {
            if (takingOver.size() < TAKEOVERS_IN_FLIGHT && untraced(player, epoch)) {
                takingOver.add(player); // nothing else brings it into this world meanwhile
                call(new DirectoryOp.ReadSession(player), new Pending.OwnedUnheldState(player, epoch));
            }
        });
    }

    private void ownedUnheldState(Pending.OwnedUnheldState u, Optional<SessionRecord> session) {
        takingOver.remove(u.playerId());
        // Running, the lease held: nobody has taken this node's players over since the read, and only this node
        // changes a record that names it. A session at another epoch: handed on or restored meanwhile.
        if (lifecycle == NodeLifecycle.RUNNING && untraced(u.playerId(), u.epoch())
                && session.filter(s -> s.epoch() == u.epoch()).isPresent()) {
            restore(u.playerId(), u.epoch(), session.get().state());
            if (world.player(u.playerId()).isPresent()) {
                counters.lostReservationsRestored++;
            }
        }
    }

    /**
     * Named this node's at {@code epoch}, with no trace of it here: not in the world, staged, handed over, taken over
     * or restored, not removed here with the removal still on its way, and not being created or looked into.
     */
    private boolean untraced(String playerId, long epoch) {
        return world.player(playerId).isEmpty() && !epochs.containsKey(playerId) && !target.isStaged(playerId)
                && !source.isHandingOver(playerId) && !takingOver.contains(playerId)
                && !toTakeOver.containsKey(playerId) && !deferredOwn.containsKey(playerId)
                && !restoresWhileFenced.containsKey(playerId) && !removalOwed(playerId, epoch)
                && pendingOps.values().stream().noneMatch(p -> switch (p) {
                    case Pending.Create c -> c.newcomer().id().equals(playerId);
                    case Pending.Remove r -> r.playerId().equals(playerId);
                    case Pending.LostReservation l -> l.commit().playerId().equals(playerId);
                    case Pending.LostReservationState l -> l.commit().playerId().equals(playerId);
                    default -> false;
                });
    }

    // ---- other nodes' deaths (rule 12)

    /** Every third of the lease TTL, a running leased node reads the live leases and the cell assignment. */
    private void watchIfDue() {
        if (deaths == null || lifecycle != NodeLifecycle.RUNNING || watching || nowNanos - nextWatchAt < 0) {
            return;
        }
        watching = true;
        nextWatchAt = nowNanos + settings.lease().ttl().toNanos() / 3;
        call(new DirectoryOp.ReadLeases(), new Pending.Leases());
        call(new DirectoryOp.ReadAssignment(), new Pending.Assignment());
    }

    private void leasesRead(Map<String, Long> live) {
        deaths.leasesRead(live, nowNanos);
        Map<String, Long> dead = deaths.dead(nowNanos);
        if (adopting || lifecycle != NodeLifecycle.RUNNING) {
            return;
        }
        if (dead.isEmpty()) {
            sweepOrphans(live);
            return;
        }
        if (!deaths.isTaker()) {
            return;
        }
        var first = dead.entrySet().iterator().next();
        String node = first.getKey();
        adopting = true;
        if (assignment.cellsOf(node).isEmpty()) { // its cells are moved already (by this node, an answer lost)
            takeDeadGround(node, first.getValue(), assignment.cellsOf(nodeId()));
            return;
        }
        CellAssignment next = assignment.moving(node, nodeId());
        call(new DirectoryOp.MoveCellsOfDead(node, first.getValue(), assignment.version(), next),
                new Pending.Adopt(node, first.getValue(), assignment.version(), next, assignment.cellsOf(node)));
    }

    private void retryAdopt(DirectoryOp op, Pending pending) {
        adoptRetryOp = op;
        adoptRetryPending = pending;
        adoptRetryAt = nowNanos + RECONCILE_RETRY_NANOS;
    }

    private void adoptRetryIfDue() {
        if (adoptRetryOp == null || nowNanos - adoptRetryAt < 0) {
            return;
        }
        DirectoryOp op = adoptRetryOp;
        adoptRetryOp = null;
        call(op, adoptRetryPending);
    }

    /**
     * A live node with no cells holds no players (it refuses attaches, and reconciles none of its own): any the
     * directory still names its are a dead incarnation's that nobody took, because the node that took its cells died
     * before it took them, say. The live node with the lowest id among those with cells takes them (the taker of
     * dead nodes may have none itself), one such node per reading of the leases; the directory lets it only while
     * the assignment gives that node no cells.
     */
    private void sweepOrphans(Map<String, Long> live) {
        boolean sweeper = !world.ownedCells().isEmpty() && live.keySet().stream()
                .filter(node -> !assignment.cellsOf(node).isEmpty()).allMatch(node -> node.compareTo(nodeId()) >= 0);
        if (!sweeper) {
            return;
        }
        for (Map.Entry<String, Long> node : live.entrySet()) {
            if (!node.getKey().equals(nodeId()) && assignment.cellsOf(node.getKey()).isEmpty()
                    && !assignment.owners().isEmpty() && node.getKey().compareTo(lastSwept) > 0) {
                lastSwept = node.getKey();
                adopting = true;
                call(new DirectoryOp.PlayersOf(node.getKey()), new Pending.Orphans(node.getKey(), node.getValue() - 1));
                return;
            }
        }
        lastSwept = "";
    }

    /** The directory's answer to moving a dead node's cells here: adopt them and take its players, or yield. */
    private void adopted(Pending.Adopt a, Optional<CellAssignment> stored) {
        if (stored.isEmpty()) {
            adopting = false;
            return;
        }
        assignmentRead(stored.get());
        if (stored.get().version() != a.next().version() || !stored.get().cellsOf(a.deadNode()).isEmpty()) {
            adopting = false; // another node moved the cells first; it takes the players too
            return;
        }
        counters.nodesTakenOver++;
        takeDeadGround(a.deadNode(), a.deadIncarnation(), a.cells());
    }

    /**
     * The dead node's cells that are this node's now but not in its world yet come back from their last cut, which
     * fences the dead node's late cuts first (so the ground and the players taken next are of the same cut); then its
     * players are taken over.
     */
    private void takeDeadGround(String deadNode, long deadIncarnation, List<CellRef> cells) {
        List<CellRef> mine = cells.stream().filter(c -> !world.owns(c)
                && assignment.ownerOf(c).filter(nodeId()::equals).isPresent()).toList();
        call(new DirectoryOp.TakeGround(deadNode, deadIncarnation, cellKeys(mine)),
                new Pending.DeadGround(deadNode, deadIncarnation, mine));
    }

    private void deadGroundTaken(Pending.DeadGround g, GroundTakeover outcome) {
        switch (outcome) {
            case GroundTakeover.LeaseLive l -> adopting = false; // back: nothing moved; the next reading decides
            case GroundTakeover.Taken t -> {
                World.GroundRestore done = world.adoptCells(g.cells(), byCell(t.ground(), g.cells()));
                counted(done);
                call(new DirectoryOp.PlayersOf(g.deadNode()),
                        new Pending.DeadPlayers(g.deadNode(), g.deadIncarnation()));
            }
        }
    }

    private void counted(World.GroundRestore done) {
        counters.cellsAdopted += done.adopted().size();
        counters.cellsRestored += done.restored().size();
        counters.groundRefused += done.refused().size();
    }

    private static List<String> cellKeys(List<CellRef> cells) {
        return cells.stream().map(c -> NodeCut.cellKey(c.cx(), c.cz())).toList();
    }

    private static Map<CellRef, byte[]> byCell(Map<String, byte[]> ground, List<CellRef> cells) {
        Map<CellRef, byte[]> out = new HashMap<>();
        for (CellRef c : cells) {
            byte[] record = ground.get(NodeCut.cellKey(c.cx(), c.cz()));
            if (record != null) {
                out.put(c, record);
            }
        }
        return out;
    }

    /**
     * A newer assignment: crossings follow it. Cells it gives this node that had no owner start afresh; cells moved
     * here from a dead node wait for their ground ({@link #takeDeadGround}).
     */
    private void assignmentRead(CellAssignment stored) {
        if (stored.version() <= assignment.version()) {
            return;
        }
        CellAssignment before = assignment;
        assignment = stored;
        List<CellRef> unowned = stored.cellsOf(nodeId()).stream().filter(c -> before.ownerOf(c).isEmpty()).toList();
        counters.cellsAdopted += world.adoptCells(unowned).size();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> castMap(Object result) {
        return (Map<String, Long>) result;
    }

    @SuppressWarnings("unchecked")
    private static Optional<OwnerRecord> castOwner(Object result) {
        return (Optional<OwnerRecord>) result;
    }

    @SuppressWarnings("unchecked")
    private static Optional<SessionRecord> castSession(Object result) {
        return (Optional<SessionRecord>) result;
    }

    @SuppressWarnings("unchecked")
    private static Optional<CellAssignment> castAssignment(Object result) {
        return (Optional<CellAssignment>) result;
    }

    /** A cut when one is due: every interval, or at once when a commit or a removal waits for one. */
    private void checkpointIfDue() {
        if (!cuts.on() || (lifecycle != NodeLifecycle.RUNNING && lifecycle != NodeLifecycle.DRAINING)
                || !cuts.due(nowNanos)) {
            return;
        }
        long version = world.gameStateVersion();
        call(new DirectoryOp.Checkpoint(cut(cuts.started(version, nowNanos))), new Pending.Checkpoint());
        counters.checkpoints++;
    }

    /**
     * The node's cut now: every owned cell's ground and every player here at its owner epoch (frozen ones included),
     * with {@code removals}.
     */
    private NodeCut cut(List<NodeCut.Removal> removals) {
        Map<String, byte[]> ground = new HashMap<>();
        for (CellRef cell : world.ownedCells()) {
            ground.put(NodeCut.cellKey(cell.cx(), cell.cz()), world.groundOf(cell));
        }
        return new NodeCut(nodeId(), incarnation(), ground, checkpointWrites(), removals);
    }

    /** The last cut of a clean stop (SIGTERM), with the removals still owed. */
    public NodeCut finalCut() {
        return cut(cuts.takeRemovals());
    }

    private long incarnation() {
        return settings.lease() != null ? settings.lease().incarnation() : world.placement().incarnation();
    }

    /** Every player here at its owner epoch, as the session store should hold it now (frozen ones included). */
    public List<SessionWrite> checkpointWrites() {
        List<SessionWrite> writes = new ArrayList<>();
        for (Player p : world.players()) {
            Long epoch = epochs.get(p.id());
            if (epoch != null) {
                writes.add(new SessionWrite(p.id(), epoch, PlayerStateCodec.encode(world.stateOf(p.id()))));
            }
        }
        return writes;
    }

    private void checkpointed(CheckpointOutcome outcome) {
        counters.sessionsCheckpointed += outcome.written();
        counters.checkpointWritesFenced += outcome.fenced().size();
        if (outcome.nodeFenced()) {
            counters.cutsRefused++;
        }
        for (HandoverCommit commit : cuts.written(outcome)) {
            commitInDirectory(commit);
        }
        checkpointIfDue(); // commits that came after this cut was taken wait for the next, at once
    }

    /** Rule 1's commit point, once a cut covers what the player's state reflects (see {@link CutSchedule}). */
    private void commitWhenCut(HandoverCommit commit) {
        long version = world.gameStateVersion();
        if (!cuts.on() || cuts.covers(version) || !cuts.hold(commit, version)) {
            commitInDirectory(commit); // covered, or past the bound of commits that may wait
            return;
        }
        counters.commitsWaitedForCut++;
        checkpointIfDue();
    }

    private void commitInDirectory(HandoverCommit commit) {
        handoverCall(Side.SOURCE, commit.token(), new DirectoryOp.Commit(commit));
    }

    // ---- the directory

    private long call(DirectoryOp op, Pending pending) {
        long id = nextOp++;
        pendingOps.put(id, pending);
        out.add(new NodeEffect.CallDirectory(id, op));
        return id;
    }

    private void handoverCall(Side side, String token, DirectoryOp op) {
        call(op, new Pending.HandoverOp(side, token, op));
    }

    private void directoryAnswered(long opId, Object result) {
        Pending pending = pendingOps.remove(opId);
        switch (pending) {
            case null -> { }
            case Pending.HandoverOp h -> handoverAnswer(h, result);
            case Pending.Create c -> created(c, (CreateOutcome) result);
            case Pending.ClusterIfLeft c -> {
                ClusterOp.CompareAndSetIfLeft op = c.op();
                if (((Optional<?>) result).isEmpty()) {
                    call(new DirectoryOp.CasGameState(op.key(), op.expectedVersion(), op.value()),
                            new Pending.Cluster(op));
                } else { // still in the game: refused, with the key as it is
                    call(new DirectoryOp.ReadGameState(op.key()), new Pending.Cluster(op));
                }
            }
            case Pending.Cluster c -> world.deliverClusterState(switch (result) {
                case VersionedValue v -> c.op() instanceof ClusterOp.Read r ? ClusterStateReply.read(r, toApi(v))
                        : ClusterStateReply.conflict(c.op(), toApi(v));
                case CasOutcome.Swapped s -> ClusterStateReply.swapped(c.op(), toApi(s.current()));
                case CasOutcome.Conflict x -> ClusterStateReply.conflict(c.op(), toApi(x.current()));
                default -> throw new IllegalStateException("unexpected cluster state answer " + result);
            });
            case Pending.Remove r -> { }
            case Pending.Lease l -> leaseAnswered((LeaseOutcome) result);
            case Pending.Checkpoint c -> checkpointed((CheckpointOutcome) result);
            case Pending.Reconcile r -> {
                ownedAsked = true;
                // With no cells, its cells moved to a live node while it was down: their players go with them.
                Map<String, Takeover> into = world.ownedCells().isEmpty() ? deferredOwn : toTakeOver;
                castMap(result).forEach((player, epoch) -> into.put(player, new Takeover(player,
                        new OwnerRecord(nodeId(), epoch), previousIncarnation)));
                pumpTakeovers();
            }
            case Pending.Restore r -> {
                takingOver.remove(r.takeover().playerId());
                restoreAnswered(r.takeover(), (TakeoverOutcome) result);
                pumpTakeovers();
            }
            case Pending.RestoreFromSession r -> {
                takingOver.remove(r.takeover().playerId());
                @SuppressWarnings("unchecked")
                Optional<SessionRecord> session = (Optional<SessionRecord>) result;
                session.filter(s -> s.epoch() == r.epoch()).ifPresentOrElse(s -> restore(r.takeover().playerId(),
                        s.epoch(), s.state()), () -> counters.restoresSkipped++);
                pumpTakeovers();
            }
            case Pending.Leases l -> leasesRead(castMap(result));
            case Pending.Assignment a -> {
                watching = false;
                castAssignment(result).ifPresent(this::assignmentRead);
            }
            case Pending.Adopt a -> adopted(a, castAssignment(result));
            case Pending.DeadGround g -> deadGroundTaken(g, (GroundTakeover) result);
            case Pending.OwnGround g -> ownGroundTaken(g, (GroundTakeover) result);
            case Pending.LostReservation l -> lostReservationOwner(l, castOwner(result));
            case Pending.ResumeNotHere r -> resumeNotHere(r, castOwner(result));
            case Pending.LostReservationState l -> lostReservationState(l, castSession(result));
            case Pending.OwnSweep s -> ownSwept(castMap(result));
            case Pending.OwnedUnheldState u -> ownedUnheldState(u, castSession(result));
            case Pending.Orphans o -> {
                adopting = false;
                castMap(result).forEach((player, epoch) -> toTakeOver.put(player, new Takeover(player,
                        new OwnerRecord(o.node(), epoch), o.deadIncarnation())));
                pumpTakeovers();
            }
            case Pending.DeadPlayers d -> {
                adopting = false;
                deaths.takenOver(d.deadNode());
                castMap(result).forEach((player, epoch) -> toTakeOver.put(player, new Takeover(player,
                        new OwnerRecord(d.deadNode(), epoch), d.deadIncarnation())));
                pumpTakeovers();
            }
        }
    }

    private static io.worldmesh.api.VersionedValue toApi(VersionedValue v) {
        return new io.worldmesh.api.VersionedValue(v.value(), v.version());
    }

    @SuppressWarnings("unchecked")
    private void handoverAnswer(Pending.HandoverOp h, Object result) {
        String token = h.token();
        switch (h.op()) {
            case DirectoryOp.Commit c -> apply(source.onCommitOutcome(token, (CommitOutcome) result, nowNanos));
            case DirectoryOp.Resolve r -> apply(h.side() == Side.SOURCE
                    ? source.onResolved(token, (Decision) result, nowNanos)
                    : target.onResolved(token, (Decision) result, nowNanos));
            case DirectoryOp.ReadDecision r -> apply(target.onDecision(token, (Optional<Decision>) result, nowNanos));
            case DirectoryOp.ReadOwner r -> {
                if (lifecycle == NodeLifecycle.FENCED || lifecycle == NodeLifecycle.STOPPED) {
                    // Rule 4 needs the directory to name this node owner now, and a fenced node cannot know that an
                    // answer from before its lease ran out still holds: another node may have taken the player over
                    // since (a hang longer than the lease, say). Asked again, it is decided once the lease is held.
                    apply(target.onDirectoryFailed(token, nowNanos));
                } else {
                    apply(target.onOwner(token, (Optional<OwnerRecord>) result, nowNanos));
                }
            }
            default -> throw new IllegalStateException("not a handover operation: " + h.op());
        }
    }

    private void directoryFailed(long opId) {
        Pending pending = pendingOps.remove(opId);
        counters.directoryFailures++;
        switch (pending) {
            case null -> { }
            case Pending.HandoverOp h -> apply(h.side() == Side.SOURCE
                    ? source.onDirectoryFailed(h.token(), nowNanos) : target.onDirectoryFailed(h.token(), nowNanos));
            case Pending.Create c -> {
                // Never in the world, and the client is told. A lost answer may hide a create that landed: its
                // record goes, as a departed player's does, so that it names nobody's player for good.
                forgetInDirectory(c.newcomer().id(), 1);
                answerAttach(c.gatewayId(), c.gatewayStart(), new ToGateway.Refused(c.connectionId(),
                        "the directory is unreachable; retry"));
            }
            // Not a CONFLICT: a lost answer may hide a write that took effect. The game decides whether to retry.
            case Pending.ClusterIfLeft c -> world.deliverClusterState(ClusterStateReply.failed(c.op(),
                    world.cluster().latest(c.op().key())));
            case Pending.Cluster c -> world.deliverClusterState(ClusterStateReply.failed(c.op(),
                    world.cluster().latest(c.op().key())));
            case Pending.Remove r -> oweRemoval(r); // else the departed player's owner record would stay for good
            case Pending.Lease l -> lease.failed(nowNanos);
            case Pending.Checkpoint c -> {
                cuts.failed(nowNanos);
                counters.checkpointFailures++; // the next cut writes it all again
            }
            // A lost answer may hide a takeover that took effect: asked again, the directory answers NotOwner with
            // this node at e + 1, which is restored like a takeover (see restoreAnswered).
            case Pending.Reconcile r -> {
                ownedAsking = false;
                reconcileRetryAt = nowNanos + RECONCILE_RETRY_NANOS;
            }
            case Pending.Restore r -> {
                takingOver.remove(r.takeover().playerId());
                toTakeOver.put(r.takeover().playerId(), r.takeover());
                reconcileRetryAt = nowNanos + RECONCILE_RETRY_NANOS;
            }
            case Pending.RestoreFromSession r -> {
                takingOver.remove(r.takeover().playerId());
                toTakeOver.put(r.takeover().playerId(), r.takeover()); // asked again: NotOwner, then this read again
                reconcileRetryAt = nowNanos + RECONCILE_RETRY_NANOS;
            }
            case Pending.Leases l -> {
                watching = false;
                deaths.readFailed();
            }
            case Pending.Assignment a -> watching = false;
            case Pending.Adopt a -> retryAdopt(new DirectoryOp.MoveCellsOfDead(a.deadNode(), a.deadIncarnation(),
                    a.expectedVersion(), a.next()), a);
            case Pending.DeadGround g -> retryAdopt(new DirectoryOp.TakeGround(g.deadNode(), g.deadIncarnation(),
                    cellKeys(g.cells())), g);
            case Pending.DeadPlayers d -> retryAdopt(new DirectoryOp.PlayersOf(d.deadNode()), d);
            case Pending.Orphans o -> adopting = false; // the next reading of the leases looks again
            // Refused for now (409): the source sends its COMMIT again, and this node asks again.
            case Pending.LostReservation l -> apply(target.onCommit(l.requestId(), l.commit(), nowNanos));
            case Pending.ResumeNotHere r -> answerAttach(r.gatewayId(), r.gatewayStart(),
                    new ToGateway.Refused(r.attach().connectionId(), "the directory is unreachable; retry"));
            case Pending.LostReservationState l -> apply(target.onCommit(l.requestId(), l.commit(), nowNanos));
            case Pending.OwnSweep s -> ownSweeping = false; // the next sweep asks again
            case Pending.OwnedUnheldState u -> takingOver.remove(u.playerId());
            case Pending.OwnGround g -> {
                groundAsking = false;
                reconcileRetryAt = nowNanos + RECONCILE_RETRY_NANOS;
            }
        }
    }

    /**
     * A removal whose answer was lost is tried again from the tick, every {@link #REMOVAL_RETRY_NANOS}: it is fenced
     * by the owner record, so a repeat that finds the record gone or changed changes nothing. At most
     * {@link #MAX_OWED_REMOVALS} are owed; past it the oldest is given up and counted (reconciling the directory
     * against the nodes clears what is left).
     */
    private void oweRemoval(Pending.Remove r) {
        if (owedRemovals.isEmpty()) {
            removalsRetryAt = nowNanos + REMOVAL_RETRY_NANOS;
        }
        owedRemovals.put(r.playerId(), r.owner());
        if (owedRemovals.size() > MAX_OWED_REMOVALS) {
            String oldest = owedRemovals.keySet().iterator().next();
            owedRemovals.remove(oldest);
            counters.removalsAbandoned++;
        }
    }

    private void retryRemovals() {
        if (owedRemovals.isEmpty() || nowNanos - removalsRetryAt < 0) {
            return;
        }
        removalsRetryAt = nowNanos + REMOVAL_RETRY_NANOS;
        var owed = owedRemovals.entrySet().iterator();
        for (int n = 0; n < REMOVALS_PER_RETRY && owed.hasNext(); n++) {
            var e = owed.next();
            owed.remove();
            counters.removalsRetried++;
            call(new DirectoryOp.RemovePlayer(e.getKey(), e.getValue()), new Pending.Remove(e.getKey(), e.getValue()));
        }
    }

    private void created(Pending.Create c, CreateOutcome outcome) {
        switch (outcome) {
            case CreateOutcome.Created created -> {
                Player p = c.newcomer();
                if (gateways.incarnationOf(c.gatewayId()) != c.gatewayStart()) {
                    // The gateway started again meanwhile: the client is gone, and the connection number may be
                    // another client's now. Nobody plays the player, so its record goes.
                    forgetInDirectory(p.id(), created.owner().epoch());
                    return;
                }
                if (lifecycle == NodeLifecycle.FENCED || lifecycle == NodeLifecycle.STOPPED) {
                    // Paused past its lease with the answer on its way: another node may have taken the player over
                    // by now (and it may even have left there). It does not join here: its record goes, should it
                    // still name this node (a removal fenced by the record), and the client joins anew.
                    forgetInDirectory(p.id(), created.owner().epoch());
                    send(c.gatewayId(), new ToGateway.Refused(c.connectionId(), "node " + nodeId() + " is "
                            + lifecycle + "; retry"));
                    return;
                }
                world.admit(p);
                epochs.put(p.id(), created.owner().epoch());
                connections.put(p.id(), new Connection(c.gatewayId(), c.connectionId()));
                send(c.gatewayId(), new ToGateway.Attached(c.connectionId(), p.id(), false, p.lastAppliedSeq(),
                        created.owner().epoch(), info));
            }
            case CreateOutcome.AlreadyExists exists -> {
                counters.idCollisions++; // ids carry the node's incarnation: this is a bug, not bad luck
                answerAttach(c.gatewayId(), c.gatewayStart(), new ToGateway.Refused(c.connectionId(),
                        "player id collision; retry"));
            }
        }
    }

    private void left(String playerId) {
        Restored r = restored.remove(playerId);
        if (r != null) { // its resume window ran out before any gateway named its client
            expiredRestores.put(playerId, r.epoch());
            if (expiredRestores.size() > MAX_EXPIRED_RESTORES) {
                expiredRestores.remove(expiredRestores.keySet().iterator().next());
            }
        }
        connections.remove(playerId);
        awaitingSwitch.remove(playerId);
        Long epoch = epochs.remove(playerId);
        if (epoch != null) {
            forgetInDirectory(playerId, epoch);
        }
    }

    /** Whether this node removed the player at {@code epoch} (it left here) and the removal has not landed yet. */
    private boolean removalOwed(String playerId, long epoch) {
        return cuts.owes(playerId, epoch) || new OwnerRecord(nodeId(), epoch).equals(owedRemovals.get(playerId));
    }

    /** The player's owner record goes, if it still names this node at {@code epoch}. */
    private void forgetInDirectory(String playerId, long epoch) {
        if (cuts.on()) {
            // With the cut that holds what the player gave back to the ground, so that a crash between the two
            // neither keeps its holdings on it nor loses them from both.
            if (!cuts.remove(new NodeCut.Removal(playerId, epoch))) {
                counters.removalsAbandoned++;
            }
            return;
        }
        OwnerRecord owner = new OwnerRecord(nodeId(), epoch);
        call(new DirectoryOp.RemovePlayer(playerId, owner), new Pending.Remove(playerId, owner));
    }

    // ---- handover effects

    private void apply(List<HandoverEffect> effects) {
        for (HandoverEffect e : effects) {
            switch (e) {
                case HandoverEffect.Send s -> {
                    long id = nextOp++;
                    Side side = s.request() instanceof PeerRequest.Cleanup ? Side.TARGET : Side.SOURCE;
                    pendingCalls.put(id, new PeerCall(side, s.request().token()));
                    out.add(new NodeEffect.CallPeer(id, s.node(), s.request()));
                }
                case HandoverEffect.Reply r -> out.add(new NodeEffect.ReplyPeer(r.requestId(), r.reply()));
                case HandoverEffect.CommitInDirectory c -> commitWhenCut(c.commit());
                case HandoverEffect.ResolveInDirectory r -> handoverCall(r.side(), r.token(),
                        new DirectoryOp.Resolve(r.playerId(), r.token()));
                case HandoverEffect.ReadDecision r -> handoverCall(Side.TARGET, r.token(),
                        new DirectoryOp.ReadDecision(r.playerId(), r.token()));
                case HandoverEffect.ReadOwner r -> handoverCall(Side.TARGET, r.token(),
                        new DirectoryOp.ReadOwner(r.playerId()));
                case HandoverEffect.HoldInputs h -> send(h.gatewayId(), new ToGateway.Hold(h.playerId(), h.epoch()));
                case HandoverEffect.Unfreeze u -> {
                    long waitTicks = Math.max(0, u.retryAfterNanos() - nowNanos) / settings.tickNanos() + 1;
                    world.unfreeze(u.playerId(), world.tick() + waitTicks);
                    send(u.gatewayId(), new ToGateway.Release(u.playerId(), u.epoch(), u.lastAppliedSeq()));
                    for (ToNode.Input kept : keptWhileFrozen.getOrDefault(u.playerId(), List.of())) {
                        input(u.gatewayId(), kept);
                    }
                    keptWhileFrozen.remove(u.playerId());
                }
                case HandoverEffect.Depart d -> {
                    keptWhileFrozen.remove(d.playerId()); // the gateway replays them to the new owner
                    awaitingSwitch.remove(d.playerId());
                    connections.remove(d.playerId());
                    epochs.remove(d.playerId());
                    world.depart(d.playerId());
                    counters.departed++;
                }
                case HandoverEffect.DropFenced d -> {
                    keptWhileFrozen.remove(d.playerId());
                    awaitingSwitch.remove(d.playerId());
                    connections.remove(d.playerId());
                    epochs.remove(d.playerId());
                    world.drop(d.playerId());
                    counters.fenced++;
                }
                case HandoverEffect.Activate a -> activate(a);
                case HandoverEffect.Route r -> {
                    send(r.gatewayId(), new ToGateway.Route(r.playerId(), r.epoch(), r.lastAppliedSeq()));
                    CellRef from = arrivedFrom.remove(r.playerId());
                    if (from != null) {
                        world.player(r.playerId()).ifPresent(p -> {
                            cellChange(p.id(), from, p.cell(), world.tick(), "cross_node");
                            encoder.encodeOne(world, p, this::snapshot); // not a tick later: the client waits
                        });
                    }
                }
                case HandoverEffect.SetTimer t -> out.add(new NodeEffect.SetTimer(t.key(), t.atNanos()));
                case HandoverEffect.Finished f -> out.add(new NodeEffect.Report(f.report()));
            }
        }
    }

    private void activate(HandoverEffect.Activate a) {
        StagedPlayer staged = (StagedPlayer) a.staged();
        PeerRequest.Prepare p = a.prepare();
        world.arrive(staged, a.epoch());
        epochs.put(p.playerId(), a.epoch());
        connections.put(p.playerId(), new Connection(p.gatewayId(), p.connectionId()));
        awaitingSwitch.put(p.playerId(), a.epoch());
        // The client hears of the handover once its gateway routes to this node: right after the first ROUTE.
        arrivedFrom.put(p.playerId(), p.fromCell());
        counters.arrived++;
    }

    // ---- frames for clients

    private void cellChange(String playerId, CellRef from, CellRef to, long tick, String kind) {
        if (!connections.containsKey(playerId)) {
            return;
        }
        JsonOut o = new JsonOut(160);
        o.raw("{\"type\":\"cell_change\",\"tick\":").number(tick)
                .raw(",\"from\":{\"cx\":").number(from.cx()).raw(",\"cz\":").number(from.cz())
                .raw("},\"to\":{\"cx\":").number(to.cx()).raw(",\"cz\":").number(to.cz())
                .raw("},\"node\":").string(nodeId()).raw(",\"handover\":").string(kind).raw('}');
        toClient(playerId, o.toByteArray(), false);
    }

    private void snapshot(Player player, byte[] json) {
        Connection c = connections.get(player.id());
        if (c != null) {
            send(c.gatewayId(), new ToGateway.ToClient(player.id(), json, true, world.tick(), player.lastAppliedSeq()));
        }
    }

    private void toClient(String playerId, byte[] json, boolean droppable) {
        Connection c = connections.get(playerId);
        if (c != null) {
            send(c.gatewayId(), new ToGateway.ToClient(playerId, json, droppable, world.tick(), -1));
        }
    }

    /**
     * A frame for a gateway whose link this node knows to be down is dropped here (the transport would drop it too):
     * so that, once the link is back, the resync goes out before anything sent after the link's return.
     */
    private void send(String gatewayId, ToGateway frame) {
        if (gateways.isDown(gatewayId)) {
            counters.framesWhileUnlinked++;
            return;
        }
        out.add(new NodeEffect.ToGatewayFrame(gatewayId, frame));
    }

    private long epochOf(String playerId) {
        return epochs.getOrDefault(playerId, 1L);
    }

    /** The player's current owner epoch here, if it is here. */
    public Optional<Long> epoch(String playerId) {
        return Optional.ofNullable(epochs.get(playerId));
    }
}
