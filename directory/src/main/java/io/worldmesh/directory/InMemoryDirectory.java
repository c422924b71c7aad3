package io.worldmesh.directory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * The directory for one JVM (the demo, the simulator, tests): every operation runs under one lock, which makes
 * it linearizable, and completes at once. Decisions and the audit log are bounded: the oldest go first, well
 * after every timeout that could ask for them.
 */
public final class InMemoryDirectory implements Directory {

    /** Decisions kept; far more than the handovers that can be in flight at once. */
    static final int MAX_DECISIONS = 1 << 20;
    static final int MAX_AUDIT = 100_000;

    private record DecisionKey(String playerId, String token) {
    }

    private ClusterSettings settings;
    private CellAssignment assignment;
    private final Map<String, NodeEndpoint> nodes = new TreeMap<>();
    private long incarnations;
    private final Map<String, OwnerRecord> owners = new HashMap<>();
    private final Map<String, SessionRecord> sessions = new HashMap<>();
    private final Map<DecisionKey, Decision> decisions = new HashMap<>();
    private final Deque<DecisionKey> decisionOrder = new ArrayDeque<>();
    private final Map<String, VersionedValue> gameState = new HashMap<>();
    private final Deque<OwnershipChange> audit = new ArrayDeque<>();
    /** A live lease: who holds it, and until when by {@link #millis}. */
    private record Lease(long incarnation, long untilMillis) {
    }

    private final Map<String, Lease> leases = new HashMap<>();
    /** Per node, the lowest incarnation that may still hold its lease: a takeover raises it past the dead one. */
    private final Map<String, Long> leaseFences = new HashMap<>();
    /** Per node, the last incarnation that held its lease, lapsed or not. */
    private final Map<String, Long> lastHolders = new HashMap<>();
    /** Per cell key, the entities of its last cut. */
    private final Map<String, byte[]> ground = new HashMap<>();
    private final LongSupplier millis;

    public InMemoryDirectory() {
        this(System::currentTimeMillis);
    }

    /** A directory whose leases run out by {@code millis}, a clock in milliseconds. */
    public InMemoryDirectory(LongSupplier millis) {
        this.millis = millis;
    }

    @Override
    public synchronized CompletionStage<SettingsCheck> registerSettings(ClusterSettings mine, boolean compareSecret) {
        if (settings == null) {
            settings = mine;
            return done(new SettingsCheck.Agreed(mine));
        }
        List<String> differences = settings.differences(mine, compareSecret);
        return done(differences.isEmpty() ? new SettingsCheck.Agreed(settings)
                : new SettingsCheck.Differs(settings, differences));
    }

    @Override
    public synchronized CompletionStage<Optional<ClusterSettings>> clusterSettings() {
        return done(Optional.ofNullable(settings));
    }

    @Override
    public synchronized CompletionStage<CellAssignment> proposeAssignment(CellAssignment proposed) {
        if (assignment == null) {
            assignment = proposed;
        }
        return done(assignment);
    }

    @Override
    public synchronized CompletionStage<Optional<CellAssignment>> assignment() {
        return done(Optional.ofNullable(assignment));
    }

    @Override
    public synchronized CompletionStage<Optional<CellAssignment>> replaceAssignment(long expectedVersion,
                                                                                    CellAssignment next) {
        next.requireAbove(expectedVersion);
        if (assignment != null && assignment.version() == expectedVersion) {
            assignment = next;
        }
        return done(Optional.ofNullable(assignment));
    }


    @Override
    public synchronized CompletionStage<Optional<CellAssignment>> moveCellsOfDead(String deadNode,
                                                                                long deadIncarnation,
                                                                                long expectedVersion,
                                                                                CellAssignment next) {
        if (liveLeaseUpTo(deadNode, Long.MAX_VALUE).isPresent()) {
            return done(Optional.ofNullable(assignment));
        }
        next.requireAbove(expectedVersion);
        if (assignment != null && assignment.version() == expectedVersion) {
            fenceDead(deadNode, deadIncarnation);
        }
        return replaceAssignment(expectedVersion, next);
    }

    @Override
    public synchronized CompletionStage<NodeEndpoint> registerNode(String nodeId, String baseUrl) {
        NodeEndpoint endpoint = new NodeEndpoint(nodeId, baseUrl, ++incarnations);
        nodes.put(nodeId, endpoint);
        return done(endpoint);
    }

    @Override
    public synchronized CompletionStage<Map<String, NodeEndpoint>> nodes() {
        return done(Collections.unmodifiableMap(new TreeMap<>(nodes)));
    }

    @Override
    public synchronized CompletionStage<CreateOutcome> createPlayer(String playerId, String node, byte[] state) {
        OwnerRecord existing = owners.get(playerId);
        if (existing != null) {
            return done(new CreateOutcome.AlreadyExists(existing));
        }
        OwnerRecord owner = new OwnerRecord(node, 1);
        owners.put(playerId, owner);
        sessions.put(playerId, new SessionRecord(1, state));
        appendAudit(new OwnershipChange(playerId, null, owner, ""));
        return done(new CreateOutcome.Created(owner));
    }

    @Override
    public synchronized CompletionStage<Optional<OwnerRecord>> owner(String playerId) {
        return done(Optional.ofNullable(owners.get(playerId)));
    }

    @Override
    public synchronized CompletionStage<CommitOutcome> commit(HandoverCommit c) {
        DecisionKey key = new DecisionKey(c.playerId(), c.token());
        Decision decided = decisions.get(key);
        if (decided != null) {
            return done(new CommitOutcome.AlreadyDecided(decided));
        }
        OwnerRecord current = owners.get(c.playerId());
        if (!c.expected().equals(current)) {
            return done(new CommitOutcome.NotOwner(Optional.ofNullable(current)));
        }
        OwnerRecord next = current.next(c.target());
        owners.put(c.playerId(), next);
        putDecision(key, Decision.COMMIT);
        sessions.put(c.playerId(), new SessionRecord(next.epoch(), c.state()));
        appendAudit(new OwnershipChange(c.playerId(), current, next, c.token()));
        return done(new CommitOutcome.Committed(next));
    }

    @Override
    public synchronized CompletionStage<Decision> resolve(String playerId, String token) {
        DecisionKey key = new DecisionKey(playerId, token);
        Decision decided = decisions.get(key);
        if (decided == null) {
            decided = Decision.ABORT;
            putDecision(key, decided);
        }
        return done(decided);
    }

    @Override
    public synchronized CompletionStage<Optional<Decision>> decision(String playerId, String token) {
        return done(Optional.ofNullable(decisions.get(new DecisionKey(playerId, token))));
    }

    @Override
    public synchronized CompletionStage<Optional<SessionRecord>> session(String playerId) {
        return done(Optional.ofNullable(sessions.get(playerId)));
    }

    @Override
    public synchronized CompletionStage<FencedWrite> writeSession(String playerId, long epoch, byte[] state) {
        OwnerRecord current = owners.get(playerId);
        if (current == null || current.epoch() != epoch) {
            return done(new FencedWrite.Fenced(Optional.ofNullable(current)));
        }
        sessions.put(playerId, new SessionRecord(epoch, state));
        return done(new FencedWrite.Written());
    }

    @Override
    public synchronized CompletionStage<FencedWrite> removePlayer(String playerId, OwnerRecord owner) {
        OwnerRecord current = owners.get(playerId);
        if (!owner.equals(current)) {
            return done(new FencedWrite.Fenced(Optional.ofNullable(current)));
        }
        owners.remove(playerId);
        sessions.remove(playerId);
        appendAudit(new OwnershipChange(playerId, current, null, ""));
        return done(new FencedWrite.Written());
    }

    @Override
    public synchronized CompletionStage<LeaseOutcome> holdLease(String nodeId, long incarnation, Duration ttl) {
        if (incarnation < leaseFences.getOrDefault(nodeId, 0L)) {
            return done(new LeaseOutcome.TakenOver());
        }
        long now = millis.getAsLong();
        Lease current = leases.get(nodeId);
        if (current != null && current.untilMillis() > now && current.incarnation() != incarnation) {
            return done(new LeaseOutcome.HeldByOther(current.incarnation()));
        }
        leases.put(nodeId, new Lease(incarnation, now + ttl.toMillis()));
        lastHolders.merge(nodeId, incarnation, Math::max);
        return done(new LeaseOutcome.Held());
    }

    @Override
    public synchronized CompletionStage<Boolean> releaseLease(String nodeId, long incarnation) {
        Lease current = leases.get(nodeId);
        if (current == null || current.incarnation() != incarnation || current.untilMillis() <= millis.getAsLong()) {
            return done(false);
        }
        leases.remove(nodeId);
        return done(true);
    }

    @Override
    public synchronized CompletionStage<Map<String, Long>> leases() {
        long now = millis.getAsLong();
        Map<String, Long> live = new TreeMap<>();
        leases.forEach((node, lease) -> {
            if (lease.untilMillis() > now && nodes.containsKey(node)) {
                live.put(node, lease.incarnation());
            }
        });
        return done(Collections.unmodifiableMap(live)); // sorted: the same order in every run
    }

    @Override
    public synchronized CompletionStage<CheckpointOutcome> checkpoint(NodeCut cut) {
        if (cut.incarnation() < leaseFences.getOrDefault(cut.nodeId(), 0L)) {
            return done(CheckpointOutcome.refusedWhole());
        }
        cut.ground().forEach((cell, state) -> ground.put(cell, state.clone()));
        int written = 0;
        List<String> fenced = new ArrayList<>();
        for (SessionWrite w : cut.players()) {
            if (new OwnerRecord(cut.nodeId(), w.epoch()).equals(owners.get(w.playerId()))) {
                sessions.put(w.playerId(), new SessionRecord(w.epoch(), w.state().clone()));
                written++;
            } else {
                fenced.add(w.playerId());
            }
        }
        int removed = 0;
        for (NodeCut.Removal r : cut.removals()) {
            OwnerRecord owner = new OwnerRecord(cut.nodeId(), r.epoch());
            if (owner.equals(owners.get(r.playerId()))) {
                owners.remove(r.playerId());
                sessions.remove(r.playerId());
                appendAudit(new OwnershipChange(r.playerId(), owner, null, ""));
                removed++;
            }
        }
        return done(new CheckpointOutcome(written, fenced, removed, false));
    }

    /**
     * Fences {@code deadIncarnation} and every earlier one; with no live lease, up to the last holder too (a restart
     * the taker did not see, whose lease has lapsed since, is as dead). A live later holder is left alone.
     */
    private void fenceDead(String node, long deadIncarnation) {
        long upTo = liveLeaseUpTo(node, Long.MAX_VALUE).isPresent() ? deadIncarnation
                : Math.max(deadIncarnation, lastHolders.getOrDefault(node, 0L));
        leaseFences.merge(node, upTo + 1, Math::max);
    }

    /** The incarnation holding the node's lease now, if one up to {@code incarnation} does: that node is not dead. */
    private Optional<Long> liveLeaseUpTo(String node, long incarnation) {
        Lease lease = leases.get(node);
        return lease != null && lease.untilMillis() > millis.getAsLong() && lease.incarnation() <= incarnation
                ? Optional.of(lease.incarnation()) : Optional.empty();
    }

    @Override
    public synchronized CompletionStage<GroundTakeover> takeGround(String deadNode, long deadIncarnation,
                                                                 List<String> cells) {
        Optional<Long> live = liveLeaseUpTo(deadNode, deadIncarnation);
        if (live.isPresent()) {
            return done(new GroundTakeover.LeaseLive(live.get()));
        }
        fenceDead(deadNode, deadIncarnation);
        Map<String, byte[]> found = new HashMap<>();
        for (String cell : cells) {
            byte[] state = ground.get(cell);
            if (state != null) {
                found.put(cell, state.clone());
            }
        }
        return done(new GroundTakeover.Taken(found));
    }

    @Override
    public synchronized CompletionStage<Map<String, Long>> playersOf(String nodeId) {
        Map<String, Long> mine = new TreeMap<>();
        owners.forEach((player, owner) -> {
            if (owner.node().equals(nodeId)) {
                mine.put(player, owner.epoch());
            }
        });
        return done(Collections.unmodifiableMap(mine));
    }

    @Override
    public synchronized CompletionStage<TakeoverOutcome> takeOver(String playerId, OwnerRecord from,
                                                                long deadIncarnation, String taker) {
        // Asked again after a lost answer, a takeover that took effect is told so whatever the lease says now (a
        // restart of the dead node may have been given cells since): the player is the taker's at e + 1, and the
        // taker restores it from its session record (else nobody would, and it would be nobody's for good).
        OwnerRecord already = owners.get(playerId);
        if (from.next(taker).equals(already)) {
            return done(new TakeoverOutcome.NotOwner(Optional.of(already)));
        }
        // A later incarnation may hold the lease when it is the taker, taking back its own players, or when the
        // assignment gives it no cells (it started after they were moved, so it holds none of those players); else
        // the taker finds the node alive again, and leaves its players to that incarnation's reconcile.
        boolean restartHasCells = assignment != null && !assignment.cellsOf(from.node()).isEmpty();
        Optional<Long> live = liveLeaseUpTo(from.node(),
                taker.equals(from.node()) || !restartHasCells ? deadIncarnation : Long.MAX_VALUE);
        if (live.isPresent()) {
            return done(new TakeoverOutcome.LeaseLive(live.get()));
        }
        OwnerRecord current = owners.get(playerId);
        if (!from.equals(current)) {
            return done(new TakeoverOutcome.NotOwner(Optional.ofNullable(current)));
        }
        fenceDead(from.node(), deadIncarnation);
        OwnerRecord next = current.next(taker);
        owners.put(playerId, next);
        SessionRecord session = sessions.get(playerId);
        sessions.put(playerId, new SessionRecord(next.epoch(), session.state()));
        appendAudit(new OwnershipChange(playerId, current, next, "failover"));
        return done(new TakeoverOutcome.TookOver(next, session.state().clone()));
    }

    @Override
    public synchronized CompletionStage<VersionedValue> gameState(String key) {
        return done(gameState.getOrDefault(key, VersionedValue.ABSENT));
    }

    @Override
    public synchronized CompletionStage<CasOutcome> compareAndSetGameState(String key, long expectedVersion,
                                                                         String value) {
        VersionedValue current = gameState.getOrDefault(key, VersionedValue.ABSENT);
        if (current.version() != expectedVersion) {
            return done(new CasOutcome.Conflict(current));
        }
        VersionedValue next = new VersionedValue(value, current.version() + 1);
        gameState.put(key, next);
        return done(new CasOutcome.Swapped(next));
    }

    @Override
    public synchronized CompletionStage<List<OwnershipChange>> audit(int limit) {
        List<OwnershipChange> all = new ArrayList<>(audit);
        return done(List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size())));
    }

    /** Decisions recorded so far, for checkers; bounded by {@link #MAX_DECISIONS}. */
    public synchronized int decisionCount() {
        return decisions.size();
    }

    @Override
    public void close() {
    }

    private void putDecision(DecisionKey key, Decision decision) {
        decisions.put(key, decision);
        decisionOrder.addLast(key);
        while (decisionOrder.size() > MAX_DECISIONS) {
            decisions.remove(decisionOrder.removeFirst());
        }
    }

    private void appendAudit(OwnershipChange change) {
        audit.addLast(change);
        while (audit.size() > MAX_AUDIT) {
            audit.removeFirst();
        }
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
