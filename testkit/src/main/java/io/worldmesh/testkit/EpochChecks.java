package io.worldmesh.testkit;

import io.worldmesh.directory.CheckpointOutcome;
import io.worldmesh.directory.CommitOutcome;
import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.FencedWrite;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.directory.OwnershipChange;
import io.worldmesh.directory.TakeoverOutcome;
import io.worldmesh.node.core.DirectoryOp;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Monotonic epochs, checked as each directory call is applied: a player's owner epoch never decreases, and every
 * change the audit log records starts where the previous one for that player ended and, for a handover, adds one
 * to the epoch. Only creates, commits and removals change ownership, so only they are read back.
 */
final class EpochChecks {

    private final InMemoryDirectory directory;
    /** Where each player's audit chain ends so far; absent before its creation and after its removal. */
    private final Map<String, OwnerRecord> chainEnd = new HashMap<>();
    private final Map<String, Long> highest = new HashMap<>();

    EpochChecks(InMemoryDirectory directory) {
        this.directory = directory;
    }

    void afterOp(DirectoryOp op, Object result) {
        String player = switch (op) {
            case DirectoryOp.CreatePlayer c -> c.playerId();
            case DirectoryOp.Commit c -> c.commit().playerId();
            case DirectoryOp.RemovePlayer r -> r.playerId();
            case DirectoryOp.Resolve r -> r.playerId();
            case DirectoryOp.ReadDecision r -> r.playerId();
            case DirectoryOp.ReadOwner r -> r.playerId();
            case DirectoryOp.ReadGameState r -> null;
            case DirectoryOp.CasGameState c -> null;
            case DirectoryOp.HoldLease l -> null;
            case DirectoryOp.Checkpoint c -> {
                // Fenced writes of state change no owner; a cut's removals end their players' chains.
                int removed = result instanceof CheckpointOutcome o ? o.removed() : 0;
                if (removed > 0) {
                    for (OwnershipChange change : directory.audit(removed).toCompletableFuture().join()) {
                        chain(change.playerId(), change);
                    }
                }
                yield null;
            }
            case DirectoryOp.TakeGround g -> null;
            case DirectoryOp.ReadSession r -> r.playerId();
            case DirectoryOp.PlayersOf p -> null;
            case DirectoryOp.ReadLeases l -> null;
            case DirectoryOp.ReadAssignment a -> null;
            case DirectoryOp.ReplaceAssignment a -> null;
            case DirectoryOp.MoveCellsOfDead m -> null;
            case DirectoryOp.TakeOver t -> t.playerId();
        };
        if (player == null) {
            return;
        }
        boolean changed = result instanceof CreateOutcome.Created || result instanceof CommitOutcome.Committed
                || result instanceof TakeoverOutcome.TookOver
                || op instanceof DirectoryOp.RemovePlayer && result instanceof FencedWrite.Written;
        if (changed) {
            chain(player, directory.audit(1).toCompletableFuture().join().get(0));
        }
        Optional<OwnerRecord> owner = directory.owner(player).toCompletableFuture().join();
        if (owner.isPresent()) {
            long before = highest.getOrDefault(player, 0L);
            if (owner.get().epoch() < before) {
                throw new InvariantBroken(Rule.MONOTONIC_EPOCHS, "player " + player + ": owner epoch went from "
                        + before + " to " + owner.get().epoch() + " (" + owner.get() + ")");
            }
            highest.put(player, owner.get().epoch());
        }
    }

    private void chain(String player, OwnershipChange change) {
        if (!change.playerId().equals(player)) {
            throw new InvariantBroken(Rule.MONOTONIC_EPOCHS, "the audit log's newest entry is " + change
                    + ", not a change of " + player);
        }
        OwnerRecord end = chainEnd.get(player);
        if (!Objects.equals(change.from(), end)) {
            throw new InvariantBroken(Rule.MONOTONIC_EPOCHS, "audit entry " + change + " starts from " + change.from()
                    + " but the previous entry for " + player + " ended at " + end);
        }
        OwnerRecord to = change.to();
        boolean ok = to == null ? change.token().isEmpty()
                : change.from() == null ? to.epoch() == 1
                : to.epoch() == change.from().epoch() + 1 && !change.token().isEmpty();
        if (!ok) {
            throw new InvariantBroken(Rule.MONOTONIC_EPOCHS, "audit entry " + change + " is not a create at epoch 1,"
                    + " a handover to epoch + 1, or a removal");
        }
        if (to == null) {
            chainEnd.remove(player);
        } else {
            chainEnd.put(player, to);
        }
    }
}
