package io.worldmesh.node.core;

import io.worldmesh.handover.TimerKey;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.link.ToNode;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Everything a node core takes in, one sealed type, so that the compiler shows every kind of message the node
 * handles. Transports and the simulator build these; the core never reads a socket or a clock.
 */
public sealed interface NodeInput {

    /** A frame from gateway {@code gatewayId}'s link. */
    record FromGateway(String gatewayId, ToNode frame) implements NodeInput {
    }

    /** A peer's handover request, numbered by the transport so the answer can find its way back. */
    record FromPeer(long requestId, PeerRequest request) implements NodeInput {
    }

    /** The answer to this node's request {@code callId} to a peer. */
    record PeerAnswered(long callId, PeerReply reply) implements NodeInput {
    }

    /** This node's request {@code callId} to a peer got no answer (refused, reset, timed out). */
    record PeerUnreachable(long callId, String why) implements NodeInput {
    }

    /** The directory's answer to operation {@code opId}. */
    record DirectoryAnswered(long opId, Object result) implements NodeInput {
    }

    /** Operation {@code opId} failed; whether it took effect is unknown. */
    record DirectoryFailed(long opId, String why) implements NodeInput {
    }

    record TimerFired(TimerKey key) implements NodeInput {
    }

    /**
     * Rule 11 at start, for a node that holds its lease: take back, by the failover compare-and-set (rule 12), every
     * player the directory still names this node's previous incarnations owner of (this id's incarnations up to
     * {@code previousIncarnation} are dead: the lease was free before this one registered), restore each from its
     * last checkpoint at epoch + 1, and then run.
     */
    record Reconcile(long previousIncarnation) implements NodeInput {
    }

    /**
     * Gateway {@code gatewayId} has (again) a link to this node that has passed its handshake, from its start
     * {@code incarnation} (0 when the gateway named none: its restarts cannot be told apart).
     */
    record GatewayLinked(String gatewayId, long incarnation) implements NodeInput {

        public GatewayLinked(String gatewayId) {
            this(gatewayId, 0);
        }
    }

    /** Gateway {@code gatewayId}'s link closed, and no newer link from it has replaced it. */
    record GatewayUnlinked(String gatewayId) implements NodeInput {
    }

    /** Time to simulate cluster-wide tick {@code tick} (greater than the last one; ticks may be skipped). */
    record Tick(long tick) implements NodeInput {
    }

    /**
     * Benchmark only: start a handover of the player across the nearest border of its cell with another node's
     * cell, now, without waiting for it to walk there. Sent only by the benchmark hook, which a node serves only
     * when started with {@code --bench-hooks}; {@code result} is completed on the simulation thread.
     */
    record BenchHandover(String playerId, CompletableFuture<BenchHandoverStart> result) implements NodeInput {
    }

    /** Runs {@code query} on the simulation thread and completes {@code result} with its answer. */
    record Query<T>(Function<NodeCore, T> query, CompletableFuture<T> result) implements NodeInput {
    }
}
