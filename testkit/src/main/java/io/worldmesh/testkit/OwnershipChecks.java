package io.worldmesh.testkit;

import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.engine.Player;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.node.core.NodeLifecycle;
import io.worldmesh.protocol.link.ToNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Single owner, no loss and inputs once, over every node's world after a step. It follows each copy of a player
 * on each node from step to step: a copy that appears is a join or an arrival, an active copy that vanishes has
 * left (depart and drop take only frozen copies), and a copy whose {@code appliedInputs} grew applied the input
 * frame of the step, or, when the step unfroze it, the frames that reached it while it was frozen, in order (the
 * source keeps those and applies them after an ABORT); a node fenced for want of its lease holds its players the same
 * way, and applies what reached them once it holds the lease again. A copy on a fenced, stopped or hung node is not
 * active (a hung node looks at its lease before anything else when it wakes).
 * A crashed node's copies are gone without leaving: until a node restores them, the players are in the directory's
 * last checkpoint (that is not a loss). A restore puts a player back at the state of that checkpoint: the inputs its
 * lost copy applied after it are rolled back, and may be applied again.
 */
final class OwnershipChecks {

    private record Copy(SimNode node, Player player) {
    }

    /** A copy as it was after the previous step. */
    private record Seen(long epoch, long lastAppliedSeq, long appliedInputs, boolean held, boolean frozen,
                        boolean connected) {
    }

    private final List<SimNode> nodes;
    private final InMemoryDirectory directory;
    private final Map<String, InputLedger> ledgers;
    private final SimStats stats;
    private final List<Map<String, Seen>> seen = new ArrayList<>();
    /** Per node, the seqs of input frames that reached each frozen copy there, in order. */
    private final List<Map<String, List<Long>>> reachedFrozen = new ArrayList<>();
    private final Set<String> alive = new HashSet<>();
    /** Where a player left the game: the node, and its epoch there. */
    private record Left(String node, long epoch) {
        static final Left UNKNOWN = new Left("", -2);
    }
    private final Map<String, Left> left = new HashMap<>();
    /** Players whose leave a crash rolled back; their removal may still have been on its way, and then lands. */
    private final Set<String> unLeft = new HashSet<>();
    private final Map<String, Long> maxEpoch = new HashMap<>();
    private final Map<String, Long> countedSeq = new HashMap<>();
    private boolean epochsMoved;
    /** Whether a node is hung now: it does nothing, and looks at its lease before anything when it wakes. */
    private final java.util.function.IntPredicate hung;

    OwnershipChecks(List<SimNode> nodes, InMemoryDirectory directory, Map<String, InputLedger> ledgers,
                    SimStats stats, java.util.function.IntPredicate hung) {
        this.nodes = nodes;
        this.hung = hung;
        this.directory = directory;
        this.ledgers = ledgers;
        this.stats = stats;
        nodes.forEach(n -> {
            seen.add(new HashMap<>());
            reachedFrozen.add(new HashMap<>());
        });
    }

    /** The highest epoch any copy of the player has had; copies below it are superseded. */
    long maxEpoch(String playerId) {
        return maxEpoch.getOrDefault(playerId, 0L);
    }

    /** Whether the last step raised some player's highest epoch, which changes which copies count. */
    boolean epochsMoved() {
        return epochsMoved;
    }

    /**
     * After {@code changed} handled {@code input} (both null: a directory step, no world changed); {@code restored}:
     * the step restored players from their checkpoints; {@code unrouted}: the node dropped the step's input frame
     * unseen, as one forwarded under a route it is not (yet) on (the gateway replays it after the switch), so that
     * it reached no copy, held or not.
     */
    void afterStep(SimNode changed, NodeInput input, boolean restored, boolean unrouted) {
        epochsMoved = false;
        Map<String, List<Copy>> copies = new LinkedHashMap<>();
        for (SimNode n : nodes) {
            if (!n.up()) {
                continue;
            }
            for (Player p : n.world().players()) {
                copies.computeIfAbsent(p.id(), id -> new ArrayList<>(2)).add(new Copy(n, p));
            }
        }
        if (changed != null) {
            follow(changed, !unrouted && input instanceof NodeInput.FromGateway g && g.frame() instanceof ToNode.Input i
                    ? i : null, restored);
            if (input instanceof NodeInput.FromGateway g && g.frame() instanceof ToNode.Detach d) {
                detached(changed, d.playerId());
            }
        }
        copies.forEach(this::singleOwner);
        unLeft.removeIf(id -> {
            if (copies.containsKey(id)) {
                return true; // restored: the leave stays rolled back
            }
            if (directory.owner(id).toCompletableFuture().join().isEmpty()) {
                alive.remove(id); // the dead node's removal landed after all: the player left for good
                left.put(id, Left.UNKNOWN);
                return true;
            }
            return false;
        });
        for (String id : alive) {
            if (!copies.containsKey(id) && nodes.stream().noneMatch(n -> n.up() && n.core().isStaged(id))
                    && !checkpointed(id)) {
                throw new InvariantBroken(Rule.NO_LOSS, "player " + id + " is in no world, staged nowhere and has no"
                        + " checkpoint under its owner record");
            }
        }
    }

    /** Whether the directory holds the player's owner record and a checkpoint of it to restore it from. */
    private boolean checkpointed(String id) {
        return directory.owner(id).toCompletableFuture().join().isPresent()
                && directory.session(id).toCompletableFuture().join().isPresent();
    }

    /**
     * The node's process died: its copies are gone, but no player left the game with them. A player whose creation
     * has not reached the directory was never anyone's (its client is welcomed only once it has): it is gone with
     * the process, and comes back only should the create still land and a restore find it.
     */
    void crashed(SimNode node) {
        // A player that left here, whose removal had not reached the directory yet, is back in the last checkpoint:
        // its leave is rolled back with everything else since that checkpoint.
        left.keySet().removeIf(id -> {
            boolean back = directory.owner(id).toCompletableFuture().join()
                    .filter(o -> o.node().equals(node.id())).isPresent();
            if (back) {
                alive.add(id);
                unLeft.add(id);
            }
            return back;
        });
        for (Player p : node.world().players()) {
            if (directory.owner(p.id()).toCompletableFuture().join().isEmpty() && !left.containsKey(p.id())) {
                alive.remove(p.id());
            }
        }
        seen.get(node.index()).clear();
        reachedFrozen.get(node.index()).clear();
    }

    private void follow(SimNode node, ToNode.Input frame, boolean restored) {
        Map<String, Seen> before = seen.get(node.index());
        Map<String, List<Long>> reached = reachedFrozen.get(node.index());
        Map<String, Seen> now = new HashMap<>();
        for (Player p : node.world().players()) {
            Seen prev = before.get(p.id());
            long seq = frame != null && frame.playerId().equals(p.id()) ? frame.input().seq() : -1;
            if (prev == null || prev.epoch() != p.epoch()) {
                Left gone = left.get(p.id());
                if (gone != null && restored && p.epoch() == gone.epoch() + 1) {
                    // Taken over from where it left, so its removal had not reached the directory: the node it left
                    // was taken over (paused past its lease) before its next cut, and the leave is rolled back with
                    // everything else since that cut, as a crash rolls it back.
                    left.remove(p.id());
                    unLeft.add(p.id());
                } else if (gone != null) {
                    throw new InvariantBroken(Rule.SINGLE_OWNER, "player " + p.id() + " left the world and is back"
                            + " on " + node.id() + " at epoch " + p.epoch());
                }
                alive.add(p.id());
                reached.remove(p.id());
                Long counted = countedSeq.get(p.id());
                if (restored && p.epoch() > maxEpoch(p.id()) && counted != null && p.lastAppliedSeq() < counted) {
                    rollBack(p);
                }
            } else if (held(node, p)) {
                if (!prev.held()) { // held from this step on (a node fenced as it took the input): nothing applied yet
                    applied(node, p, prev, reached.getOrDefault(p.id(), List.of()), -1);
                    reached.remove(p.id());
                }
                if (seq > 0) {
                    reached.computeIfAbsent(p.id(), id -> new ArrayList<>()).add(seq);
                }
            } else {
                // A fenced node applies what it kept in seq order once it holds its lease again; a frozen copy's kept
                // inputs go in the order they came.
                List<Long> kept = reached.getOrDefault(p.id(), List.of());
                applied(node, p, prev, prev.held() && !prev.frozen() ? kept.stream().sorted().toList() : kept, seq);
                reached.remove(p.id());
            }
            if (prev != null && prev.connected() && !p.connected()) {
                // Disconnected in this step (a detach, its gateway restarted or lapsed): the node drops what it
                // kept for the connection, as the gateway does.
                reached.remove(p.id());
            }
            now.put(p.id(), new Seen(p.epoch(), p.lastAppliedSeq(), p.appliedInputs(), held(node, p), p.frozen(),
                    p.connected()));
        }
        before.forEach((id, was) -> {
            if (!now.containsKey(id)) {
                reached.remove(id);
                if (!was.frozen()) { // an active copy went (a fenced node's too): the player left the game
                    alive.remove(id);
                    left.put(id, new Left(node.id(), was.epoch()));
                }
            }
        });
        seen.set(node.index(), now);
    }

    /**
     * A player restored from a checkpoint older than what its last copy had applied: what that copy applied since is
     * gone with it (rule 12's bounded loss), and the gateway may send it again.
     */
    private void rollBack(Player p) {
        InputLedger ledger = ledgers.get(p.id());
        if (ledger != null) {
            stats.inputsRolledBack += ledger.rollBackTo(p.lastAppliedSeq());
        }
        countedSeq.put(p.id(), p.lastAppliedSeq());
    }

    /**
     * Whether the copy applies no input now and keeps what reaches it for later: frozen for a handover, or on a node
     * fenced for want of its lease (or stopped for good, taken over meanwhile).
     */
    private static boolean held(SimNode node, Player p) {
        NodeLifecycle l = node.core().lifecycle();
        return p.frozen() || l == NodeLifecycle.FENCED || l == NodeLifecycle.STOPPED;
    }

    /**
     * A detach that disconnected a held copy abandons what reached it while held: the node drops what it kept for
     * a closed connection, as the gateway does (the client, if it resumes, goes on after the seq it is told).
     */
    private void detached(SimNode node, String playerId) {
        node.world().player(playerId).filter(p -> !p.connected())
                .ifPresent(p -> reachedFrozen.get(node.index()).remove(playerId));
    }

    /**
     * The copy was active before or after the step: what did it apply? The frames that reached it while frozen,
     * then the step's own frame ({@code seq}, or -1), each if above what it had applied before.
     */
    private void applied(SimNode node, Player p, Seen prev, List<Long> reachedWhileFrozen, long seq) {
        if (p.lastAppliedSeq() < prev.lastAppliedSeq()) {
            throw new InvariantBroken(Rule.INPUTS_ONCE, "player " + p.id() + " on " + node.id()
                    + ": last_applied_seq went back from " + prev.lastAppliedSeq() + " to " + p.lastAppliedSeq());
        }
        long more = p.appliedInputs() - prev.appliedInputs();
        if (more == 0) {
            return;
        }
        List<Long> expected = new ArrayList<>();
        long last = prev.lastAppliedSeq();
        List<Long> arrived = new ArrayList<>(reachedWhileFrozen);
        if (seq > 0) {
            arrived.add(seq);
        }
        for (long s : arrived) {
            if (s > last) {
                expected.add(s);
                last = s;
            }
        }
        if (expected.size() != more || last != p.lastAppliedSeq()) {
            if (more != 1 || p.lastAppliedSeq() == prev.lastAppliedSeq()) {
                throw new InvariantBroken(Rule.INPUTS_ONCE, "player " + p.id() + " on " + node.id()
                        + ": applied inputs " + prev.appliedInputs() + " -> " + p.appliedInputs()
                        + " with last_applied_seq " + prev.lastAppliedSeq() + " -> " + p.lastAppliedSeq()
                        + " in one step, but the inputs that reached it were " + arrived);
            }
            expected = List.of(p.lastAppliedSeq());
        }
        InputLedger ledger = ledgers.get(p.id());
        for (long s : expected) {
            if (ledger == null || s > ledger.lastSent()) {
                throw new InvariantBroken(Rule.INPUTS_ONCE, "player " + p.id() + " on " + node.id()
                        + " applied input " + s + ", which its client never sent");
            }
            if (!ledger.apply(s)) {
                throw new InvariantBroken(Rule.INPUTS_ONCE, "player " + p.id() + ": input " + s
                        + " applied a second time, on " + node.id() + " at epoch " + p.epoch());
            }
            stats.inputsApplied++;
        }
    }

    private void singleOwner(String id, List<Copy> copies) {
        Copy active = null;
        long top = 0;
        for (Copy c : copies) {
            top = Math.max(top, c.player().epoch());
            if (!held(c.node(), c.player()) && !hung.test(c.node().index())) {
                if (active != null) {
                    throw new InvariantBroken(Rule.SINGLE_OWNER, "player " + id + " is active on " + active.node().id()
                            + " at epoch " + active.player().epoch() + " and on " + c.node().id() + " at epoch "
                            + c.player().epoch());
                }
                active = c;
            }
        }
        long highest = Math.max(top, maxEpoch(id));
        if (highest != maxEpoch(id)) {
            maxEpoch.put(id, highest);
            epochsMoved = true;
        }
        if (active != null) {
            Optional<OwnerRecord> owner = directory.owner(id).toCompletableFuture().join();
            OwnerRecord here = new OwnerRecord(active.node().id(), active.player().epoch());
            if (owner.isPresent() && !owner.get().equals(here)) {
                throw new InvariantBroken(Rule.SINGLE_OWNER, "player " + id + " is active on " + here
                        + " but the directory names " + owner.get());
            }
        }
        for (Copy c : copies) {
            if (c.player().epoch() == highest) {
                Long before = countedSeq.put(id, c.player().lastAppliedSeq());
                if (before != null && c.player().lastAppliedSeq() < before) {
                    throw new InvariantBroken(Rule.INPUTS_ONCE, "player " + id + ": last_applied_seq went back from "
                            + before + " to " + c.player().lastAppliedSeq() + " on " + c.node().id() + " at epoch "
                            + highest);
                }
                break;
            }
        }
    }
}
