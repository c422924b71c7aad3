package io.worldmesh.handover;

import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;

/**
 * What a handover state machine asks its node to do. The node carries each out and feeds the answer back as an
 * event: replies of peers, directory answers and timer firings.
 */
public sealed interface HandoverEffect {

    /** Send a request to another node; its reply comes back through {@code onReply} or {@code onSendFailed}. */
    record Send(String node, PeerRequest request) implements HandoverEffect {
    }

    /** Answer the peer request the transport numbered {@code requestId}. */
    record Reply(long requestId, PeerReply reply) implements HandoverEffect {
    }

    /** Run the commit compare-and-set (rule 1); the answer comes back through {@code onCommitOutcome}. */
    record CommitInDirectory(HandoverCommit commit) implements HandoverEffect {
    }

    /** Rule 2: record ABORT if undecided, then read the decision; the answer comes back through {@code onResolved}. */
    record ResolveInDirectory(String playerId, String token, Side side) implements HandoverEffect {
    }

    /** Read the token's decision without changing it (target, before RESERVED). */
    record ReadDecision(String playerId, String token) implements HandoverEffect {
    }

    /** Read the player's owner record (target, at activation: rule 4). */
    record ReadOwner(String playerId, String token) implements HandoverEffect {
    }

    /** Source: tell the gateway holding the player's connection to buffer its new inputs. */
    record HoldInputs(String gatewayId, String playerId, long epoch) implements HandoverEffect {
    }

    /** Source, on ABORT: the player simulates again at the same epoch; the gateway replays what it held. */
    record Unfreeze(String gatewayId, String playerId, long epoch, long lastAppliedSeq, long retryAfterNanos)
            implements HandoverEffect {
    }

    /** Source, COMMIT known and CONFIRMED: drop the frozen copy (the game's onDepart fires) and never simulate it. */
    record Depart(String playerId, String token) implements HandoverEffect {
    }

    /** Source, not the owner any more: drop the frozen copy without any hook; someone else owns the player. */
    record DropFenced(String playerId, String token) implements HandoverEffect {
    }

    /**
     * Target, COMMIT known and the directory names this node owner at {@code epoch}: simulate the staged copy;
     * {@code prepare} names the player's gateway connection.
     */
    record Activate(PeerRequest.Prepare prepare, Object staged, long epoch) implements HandoverEffect {
    }

    /** Target: switch the gateway's route for the player to this node at {@code epoch}; resent until its ACK. */
    record Route(String gatewayId, String playerId, long epoch, long lastAppliedSeq) implements HandoverEffect {
    }

    /** Call back {@code onTimer(key)} at {@code atNanos} (the same clock as every {@code now}). */
    record SetTimer(TimerKey key, long atNanos) implements HandoverEffect {
    }

    /** A handover has ended on this side. */
    record Finished(HandoverReport report) implements HandoverEffect {
    }
}
