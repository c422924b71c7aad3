package io.worldmesh.protocol.handover;

import io.worldmesh.api.CellRef;

/**
 * The node-to-node messages of a cross-node handover (ADR-0002's flow under HANDOVER-RULES), sent over HTTP:
 * {@code POST /handover/prepare|commit|abort|cleanup}. Each names the handover by its token.
 */
public sealed interface PeerRequest permits PeerRequest.Prepare, PeerRequest.Commit, PeerRequest.Abort,
        PeerRequest.Cleanup {

    String playerId();

    String token();

    /**
     * Source to target: reserve this frozen player. {@code epoch} is the source's owner epoch {@code e}; the commit
     * writes {@code e + 1}. {@code gatewayId} holds the player's connection: the target sends ROUTE there.
     * {@code expiresAtMillis} is a hint to give up early (rule 13), never a decision. The state is at {@code epoch}.
     */
    record Prepare(String playerId, String sourceNode, String targetNode, String gatewayId, long connectionId,
                   CellRef fromCell, CellRef toCell, PlayerState state, String token, long expiresAtMillis,
                   long epoch)
            implements PeerRequest {
    }

    /** Source to target: the directory recorded COMMIT; the player is yours at {@code epoch} ({@code e + 1}). */
    record Commit(String playerId, String token, long epoch) implements PeerRequest {
    }

    /** Source to target: the directory recorded ABORT; drop the staged copy. */
    record Abort(String playerId, String token) implements PeerRequest {
    }

    /** Target to source, after the gateway's ACK of the ROUTE: the handover's bookkeeping may end on both sides. */
    record Cleanup(String playerId, String token) implements PeerRequest {
    }
}
