package io.worldmesh.directory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The cluster's linearizable record of ownership: the one place where a handover commits (HANDOVER-RULES rule 1).
 * Every method is asynchronous and never blocks its caller; a simulation thread hands the answer back to itself
 * through its mailbox. Implementations: {@link InMemoryDirectory} (one JVM) and Redis (across processes). Both
 * pass {@code DirectoryContract}.
 */
public interface Directory extends AutoCloseable {

    /**
     * Writes {@code mine} as the cluster's settings if there are none yet; otherwise compares them with the
     * stored ones ({@link ClusterSettings#differences}).
     */
    CompletionStage<SettingsCheck> registerSettings(ClusterSettings mine, boolean compareSecret);

    /** The cluster's settings, if a process has registered them. */
    CompletionStage<Optional<ClusterSettings>> clusterSettings();

    /** Stores {@code proposed} if no assignment exists yet; answers the stored one either way. */
    CompletionStage<CellAssignment> proposeAssignment(CellAssignment proposed);

    CompletionStage<Optional<CellAssignment>> assignment();

    /**
     * Stores {@code next} only if the stored assignment is still at {@code expectedVersion} (a compare-and-set, so
     * that of two nodes adopting a dead node's cells one wins); answers the stored one either way. {@code next}'s
     * version must be above {@code expectedVersion}.
     */
    CompletionStage<Optional<CellAssignment>> replaceAssignment(long expectedVersion, CellAssignment next);

    /**
     * Failover's move of a dead node's cells (rule 12): as {@link #replaceAssignment}, but only while no incarnation
     * of {@code deadNode} holds its lease. A restarted node takes its lease before it reads the assignment, so the
     * cells its world starts with are never moved away from it by a taker that judged an earlier incarnation dead.
     * A move that takes effect fences {@code deadIncarnation} and every earlier one in the same step, so that the
     * dead incarnation, should it wake from a pause, can never hold its lease again: it would simulate cells that are
     * another node's now. It fences the last incarnation that held the lease too, should that be later than the one
     * the taker saw: a restart the taker never saw, whose lease lapsed in turn, is as dead (see {@link #holdLease}).
     */
    CompletionStage<Optional<CellAssignment>> moveCellsOfDead(String deadNode, long deadIncarnation,
                                                             long expectedVersion, CellAssignment next);

    /** Registers a node's endpoint and hands it an incarnation number that no start of any node had before. */
    CompletionStage<NodeEndpoint> registerNode(String nodeId, String baseUrl);

    CompletionStage<Map<String, NodeEndpoint>> nodes();

    /** A new player's first owner record, {@code (node, 1)}, with its initial state; only if the id is free. */
    CompletionStage<CreateOutcome> createPlayer(String playerId, String node, byte[] state);

    CompletionStage<Optional<OwnerRecord>> owner(String playerId);

    /** The commit point: see {@link HandoverCommit}. */
    CompletionStage<CommitOutcome> commit(HandoverCommit commit);

    /**
     * Rule 2: records ABORT for the token if it has no decision yet, then answers the token's decision. Whatever
     * it answers is the handover's outcome for every participant.
     */
    CompletionStage<Decision> resolve(String playerId, String token);

    /** The token's decision, if any; reads only. */
    CompletionStage<Optional<Decision>> decision(String playerId, String token);

    /** The player's last durable state. */
    CompletionStage<Optional<SessionRecord>> session(String playerId);

    /** Writes the player's state if {@code epoch} is its current owner epoch (rule 6). */
    CompletionStage<FencedWrite> writeSession(String playerId, long epoch, byte[] state);

    /** A player leaves the world for good: removes its owner record and state if {@code owner} is current. */
    CompletionStage<FencedWrite> removePlayer(String playerId, OwnerRecord owner);

    /**
     * Holds {@code nodeId}'s lease for {@code ttl}, counted from when the directory takes the request: taken if no
     * live lease exists, extended if this incarnation holds it, refused if another does. A node that cannot renew
     * stops simulating before its lease would have run out (rule 12). The directory remembers the last incarnation
     * that held each lease: a failover step that finds no live lease fences up to it, whichever incarnation the taker
     * judged dead, since a taker may have missed a restart (it was paused, or the directory was down) whose lease
     * has lapsed since.
     */
    CompletionStage<LeaseOutcome> holdLease(String nodeId, long incarnation, Duration ttl);

    /** Gives the lease up at once if this incarnation holds it (a clean stop); true if it did. */
    CompletionStage<Boolean> releaseLease(String nodeId, long incarnation);

    /** The registered nodes whose lease is live now, with the incarnation that holds each. */
    CompletionStage<Map<String, Long>> leases();

    /**
     * A node's checkpoint, one consistent cut ({@link NodeCut}) written as one atomic step: refused whole when the
     * cut's incarnation is below the node's lease fence; otherwise every cell's ground is written, and each player's
     * state (and each removal) only if the directory names the node the player's owner at that epoch (rule 6); the
     * refused players are named.
     */
    CompletionStage<CheckpointOutcome> checkpoint(NodeCut cut);

    /**
     * Failover of a node's cells: fences the node's incarnations up to {@code deadIncarnation} (as {@link #takeOver}
     * does, so that no late cut of theirs lands) and answers the last cut ground of each of {@code cells} that has
     * one, in one atomic step; only while no incarnation up to {@code deadIncarnation} holds the node's lease. A
     * restarted node takes its own ground back this way, from its previous incarnation. With no live lease at all it
     * fences up to the last holder too ({@link #holdLease}).
     */
    CompletionStage<GroundTakeover> takeGround(String deadNode, long deadIncarnation, List<String> cells);

    /** The players the directory names {@code nodeId} owner of, with their epochs. */
    CompletionStage<Map<String, Long>> playersOf(String nodeId);

    /**
     * Failover (rule 12): {@code from = (dead, e) -> (taker, e + 1)}, the session record moved to {@code e + 1}, only
     * while no incarnation up to {@code deadIncarnation} holds the dead node's lease (a later one may: a restarted
     * node taking back its own players). It also fences those incarnations: none of them can hold the lease again;
     * with no live lease at all, up to the last holder too ({@link #holdLease}).
     */
    CompletionStage<TakeoverOutcome> takeOver(String playerId, OwnerRecord from, long deadIncarnation, String taker);

    /** One key of the game's cluster-wide state. */
    CompletionStage<VersionedValue> gameState(String key);

    /** Writes {@code value} if the key's version is {@code expectedVersion} (0 for an absent key). */
    CompletionStage<CasOutcome> compareAndSetGameState(String key, long expectedVersion, String value);

    /** The audit log of ownership changes, oldest first (bounded: the newest {@code limit} entries). */
    CompletionStage<List<OwnershipChange>> audit(int limit);

    @Override
    void close();
}
