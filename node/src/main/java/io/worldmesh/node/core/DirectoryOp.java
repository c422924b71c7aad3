package io.worldmesh.node.core;

import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.Directory;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.NodeCut;
import io.worldmesh.directory.OwnerRecord;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One directory call a node core wants made, as data: the driver runs it against the real directory, the
 * simulator against its own with delays and faults.
 */
public sealed interface DirectoryOp {

    CompletionStage<?> run(Directory d);

    record CreatePlayer(String playerId, String node, byte[] state) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.createPlayer(playerId, node, state); }
    }

    record Commit(HandoverCommit commit) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.commit(commit); }
    }

    record Resolve(String playerId, String token) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.resolve(playerId, token); }
    }

    record ReadDecision(String playerId, String token) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.decision(playerId, token); }
    }

    record ReadOwner(String playerId) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.owner(playerId); }
    }

    record RemovePlayer(String playerId, OwnerRecord owner) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.removePlayer(playerId, owner); }
    }

    record ReadGameState(String key) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.gameState(key); }
    }

    record CasGameState(String key, long expectedVersion, String value) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.compareAndSetGameState(key, expectedVersion, value); }
    }

    record HoldLease(String nodeId, long incarnation, Duration ttl) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.holdLease(nodeId, incarnation, ttl); }
    }

    record Checkpoint(NodeCut cut) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.checkpoint(cut); }
    }

    record TakeGround(String deadNode, long deadIncarnation, List<String> cells) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.takeGround(deadNode, deadIncarnation, cells); }
    }

    record ReadLeases() implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.leases(); }
    }

    record ReadAssignment() implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.assignment(); }
    }

    record ReplaceAssignment(long expectedVersion, CellAssignment next) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.replaceAssignment(expectedVersion, next); }
    }

    record MoveCellsOfDead(String deadNode, long deadIncarnation, long expectedVersion, CellAssignment next)
            implements DirectoryOp {
        public CompletionStage<?> run(Directory d) {
            return d.moveCellsOfDead(deadNode, deadIncarnation, expectedVersion, next);
        }
    }

    record ReadSession(String playerId) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.session(playerId); }
    }

    record PlayersOf(String nodeId) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.playersOf(nodeId); }
    }

    record TakeOver(String playerId, OwnerRecord from, long deadIncarnation, String taker) implements DirectoryOp {
        public CompletionStage<?> run(Directory d) { return d.takeOver(playerId, from, deadIncarnation, taker); }
    }
}
