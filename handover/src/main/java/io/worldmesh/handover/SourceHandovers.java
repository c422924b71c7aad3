package io.worldmesh.handover;

import io.worldmesh.directory.CommitOutcome;
import io.worldmesh.directory.Decision;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.PlayerStateCodec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The source side of every outbound handover of one node, without IO. The player is frozen before PREPARE (rule
 * 3); the only commit is the directory's compare-and-set (rule 1), which also makes the frozen state durable at
 * {@code e + 1} (rule 5); every timeout or failure resolves through the directory (rule 2); the copy is dropped
 * only once the COMMIT is known and the target has CONFIRMED.
 */
public final class SourceHandovers {

    private final String nodeId;
    private final HandoverSettings settings;
    private final Map<String, Outbound> byToken = new HashMap<>();
    private final Map<String, Outbound> byPlayer = new HashMap<>();

    /** One outbound handover. */
    private static final class Outbound {
        final PeerRequest.Prepare prepare;
        final long startedAt;
        SourcePhase phase = SourcePhase.PREPARING;
        String reason = "";
        long reservedAt = -1;
        long committedAt = -1;
        long generation;
        Backoff backoff;

        Outbound(PeerRequest.Prepare prepare, long startedAt) {
            this.prepare = prepare;
            this.startedAt = startedAt;
        }

        String token() { return prepare.token(); }
        String player() { return prepare.playerId(); }
    }

    public SourceHandovers(String nodeId, HandoverSettings settings) {
        this.nodeId = nodeId;
        this.settings = settings;
    }

    /** True while the player has an outbound handover that has not dropped or given back its copy. */
    public boolean isHandingOver(String playerId) {
        Outbound o = byPlayer.get(playerId);
        return o != null && (o.phase == SourcePhase.PREPARING || o.phase == SourcePhase.COMMITTING
                || o.phase == SourcePhase.RESOLVING || o.phase == SourcePhase.CONFIRMING);
    }

    /**
     * True while the player's outbound handover is known to have committed and its frozen copy is still here, waiting
     * for the target's CONFIRMED: the player is no longer this node's, and that copy is never simulated again.
     */
    public boolean committed(String playerId) {
        Outbound o = byPlayer.get(playerId);
        return o != null && o.phase == SourcePhase.CONFIRMING;
    }

    /**
     * This node takes the player over from the node its handover committed it to, which died (rule 12): the commit
     * stands (the directory named that target the owner), so the handover ends here as if CONFIRMED. The frozen
     * copy departs, to be put back by the caller from the target's last checkpoint, and the bookkeeping finishes at
     * once: otherwise the handover's own end would drop the restored player. Nothing for a player with no handover
     * past PREPARING (one that cannot have been committed).
     */
    public List<HandoverEffect> targetTakenOver(String playerId, long now) {
        Outbound o = byPlayer.get(playerId);
        if (o == null || !isHandingOver(playerId) || o.phase == SourcePhase.PREPARING) {
            return List.of();
        }
        if (o.phase != SourcePhase.CONFIRMING) { // the commit's answer was lost, or it was being resolved
            o.phase = o.phase.moveTo(SourcePhase.CONFIRMING);
            o.committedAt = now;
        }
        o.phase = o.phase.moveTo(SourcePhase.DEPARTED);
        return List.of(new HandoverEffect.Depart(o.player(), o.token()),
                finish(o, SourcePhase.DONE, Outcome.COMMITTED, "target_taken_over", now));
    }

    /** Handovers not yet finished on this side (bookkeeping included). */
    public int inFlight() {
        return byToken.size();
    }

    public boolean atCapacity() {
        return byToken.size() >= settings.maxOutbound();
    }

    public Optional<SourcePhase> phaseOf(String token) {
        return Optional.ofNullable(byToken.get(token)).map(o -> o.phase);
    }

    /**
     * The player has been frozen for {@code prepare}: hold its inputs at the gateway and send PREPARE. The caller
     * has checked {@link #isHandingOver} and {@link #atCapacity}.
     */
    public List<HandoverEffect> start(PeerRequest.Prepare prepare, long now) {
        if (byPlayer.containsKey(prepare.playerId()) && isHandingOver(prepare.playerId())) {
            throw new IllegalStateException("player " + prepare.playerId() + " is already being handed over");
        }
        Outbound o = new Outbound(prepare, now);
        byToken.put(o.token(), o);
        byPlayer.put(o.player(), o);
        List<HandoverEffect> out = new ArrayList<>(3);
        out.add(new HandoverEffect.HoldInputs(prepare.gatewayId(), o.player(), prepare.epoch()));
        out.add(new HandoverEffect.Send(prepare.targetNode(), prepare));
        out.add(timer(o, now + settings.prepareNanos()));
        return out;
    }

    /** The target's answer to PREPARE, COMMIT or ABORT. */
    public List<HandoverEffect> onReply(String token, PeerReply reply, long now) {
        Outbound o = byToken.get(token);
        if (o == null) {
            return List.of();
        }
        return switch (reply) {
            case PeerReply.Reserved r -> o.phase == SourcePhase.PREPARING ? commit(o, now) : List.of();
            case PeerReply.Rejected r -> o.phase == SourcePhase.PREPARING
                    ? resolve(o, "rejected:" + r.reason().wire(), now) : List.of();
            case PeerReply.Confirmed c -> o.phase == SourcePhase.CONFIRMING ? depart(o, now) : List.of();
            case PeerReply.Refused r -> switch (o.phase) {
                case PREPARING -> resolve(o, "refused:" + r.code(), now);
                // The target has no memory of the token: it restarted after RESERVED (or finished long ago). The
                // commit wrote the state at e + 1 (rule 5), where the target's restart or a failover restores it;
                // this frozen copy, at e, can never be used again, and resending COMMIT would go on for ever. Nor
                // will a CLEANUP come, with no handover of this token there: the bookkeeping ends at once.
                case CONFIRMING -> "unknown_token".equals(r.code()) ? depart(o, now, now) : List.of();
                default -> List.of();
            };
            case PeerReply.Aborted a -> List.of();
            case PeerReply.CleanedUp c -> List.of();
        };
    }

    /** A request to the target could not be delivered or got no answer; what the target did is unknown. */
    public List<HandoverEffect> onSendFailed(String token, long now) {
        Outbound o = byToken.get(token);
        if (o == null || o.phase != SourcePhase.PREPARING) {
            return List.of(); // COMMIT resends are driven by the timer
        }
        return resolve(o, "prepare_unreachable", now);
    }

    public List<HandoverEffect> onCommitOutcome(String token, CommitOutcome outcome, long now) {
        Outbound o = byToken.get(token);
        if (o == null || o.phase != SourcePhase.COMMITTING) {
            return List.of();
        }
        return switch (outcome) {
            case CommitOutcome.Committed c -> committed(o, now);
            case CommitOutcome.AlreadyDecided d -> d.decision() == Decision.COMMIT ? committed(o, now)
                    : aborted(o, "decided_abort", now);
            case CommitOutcome.NotOwner n -> fenced(o, n.actual(), now);
        };
    }

    public List<HandoverEffect> onResolved(String token, Decision decision, long now) {
        Outbound o = byToken.get(token);
        if (o == null || o.phase != SourcePhase.RESOLVING) {
            return List.of();
        }
        return decision == Decision.COMMIT ? committed(o, now) : aborted(o, o.reason, now);
    }

    /** A directory call of this handover failed (unreachable, timed out): its effect is unknown, so resolve. */
    public List<HandoverEffect> onDirectoryFailed(String token, long now) {
        Outbound o = byToken.get(token);
        if (o == null) {
            return List.of();
        }
        if (o.phase == SourcePhase.COMMITTING) {
            return resolve(o, "directory_error", now);
        }
        if (o.phase == SourcePhase.RESOLVING) {
            return List.of(timer(o, now + o.backoff.next())); // retry the resolve when the timer fires
        }
        return List.of();
    }

    /** CLEANUP from the target: the gateway has switched. It also proves the COMMIT was applied there. */
    public List<HandoverEffect> onCleanup(long requestId, PeerRequest.Cleanup cleanup, long now) {
        List<HandoverEffect> out = new ArrayList<>(3);
        Outbound o = byToken.get(cleanup.token());
        if (o != null && o.player().equals(cleanup.playerId())) {
            if (o.phase == SourcePhase.CONFIRMING) {
                out.addAll(depart(o, now));
            }
            if (o.phase == SourcePhase.DEPARTED) {
                out.add(finish(o, SourcePhase.DONE, Outcome.COMMITTED, "committed", now));
            }
        }
        out.add(new HandoverEffect.Reply(requestId, new PeerReply.CleanedUp(cleanup.token())));
        return out;
    }

    public List<HandoverEffect> onTimer(TimerKey key, long now) {
        Outbound o = byToken.get(key.token());
        if (o == null || key.side() != Side.SOURCE || key.generation() != o.generation) {
            return List.of();
        }
        return switch (o.phase) {
            case PREPARING -> resolve(o, "prepare_timeout", now);
            case COMMITTING -> resolve(o, "commit_timeout", now);
            case RESOLVING -> List.of(new HandoverEffect.ResolveInDirectory(o.player(), o.token(), Side.SOURCE),
                    timer(o, now + o.backoff.next()));
            case CONFIRMING -> List.of(commitMessage(o), timer(o, now + o.backoff.next()));
            case DEPARTED -> List.of(finish(o, SourcePhase.DONE, Outcome.COMMITTED, "committed_no_cleanup", now));
            case ABORTED, FENCED, DONE -> List.of();
        };
    }

    private List<HandoverEffect> commit(Outbound o, long now) {
        o.phase = o.phase.moveTo(SourcePhase.COMMITTING);
        o.reservedAt = now;
        PeerRequest.Prepare p = o.prepare;
        OwnerRecord expected = new OwnerRecord(nodeId, p.epoch());
        byte[] state = PlayerStateCodec.encode(p.state().atEpoch(p.epoch() + 1));
        return List.of(new HandoverEffect.CommitInDirectory(new HandoverCommit(o.player(), o.token(), expected,
                p.targetNode(), state)), timer(o, now + settings.commitNanos()));
    }

    private List<HandoverEffect> resolve(Outbound o, String reason, long now) {
        o.phase = o.phase.moveTo(SourcePhase.RESOLVING);
        o.reason = reason;
        o.backoff = new Backoff(settings.resendNanos(), settings.commitNanos());
        return List.of(new HandoverEffect.ResolveInDirectory(o.player(), o.token(), Side.SOURCE),
                timer(o, now + settings.commitNanos()));
    }

    private List<HandoverEffect> committed(Outbound o, long now) {
        o.phase = o.phase.moveTo(SourcePhase.CONFIRMING);
        o.committedAt = now;
        o.backoff = new Backoff(settings.resendNanos(), settings.commitNanos());
        return List.of(commitMessage(o), timer(o, now + o.backoff.next()));
    }

    private HandoverEffect commitMessage(Outbound o) {
        return new HandoverEffect.Send(o.prepare.targetNode(),
                new PeerRequest.Commit(o.player(), o.token(), o.prepare.epoch() + 1));
    }

    private List<HandoverEffect> depart(Outbound o, long now) {
        // The bookkeeping waits for CLEANUP, but not for ever.
        return depart(o, now, now + settings.cleanupNanos());
    }

    private List<HandoverEffect> depart(Outbound o, long now, long bookkeepingUntil) {
        o.phase = o.phase.moveTo(SourcePhase.DEPARTED);
        return List.of(new HandoverEffect.Depart(o.player(), o.token()), timer(o, bookkeepingUntil));
    }

    private List<HandoverEffect> aborted(Outbound o, String reason, long now) {
        PeerRequest.Prepare p = o.prepare;
        List<HandoverEffect> out = new ArrayList<>(3);
        out.add(new HandoverEffect.Unfreeze(p.gatewayId(), o.player(), p.epoch(), p.state().lastAppliedSeq(),
                now + settings.retryBackoff().toNanos()));
        if (!reason.startsWith("rejected:")) { // a target that rejected holds nothing to drop
            out.add(new HandoverEffect.Send(p.targetNode(), new PeerRequest.Abort(o.player(), o.token())));
        }
        out.add(finish(o, SourcePhase.ABORTED, Outcome.ABORTED, reason, now));
        return out;
    }

    private List<HandoverEffect> fenced(Outbound o, Optional<OwnerRecord> actual, long now) {
        return List.of(new HandoverEffect.DropFenced(o.player(), o.token()),
                finish(o, SourcePhase.FENCED, Outcome.FENCED, "not_owner:" + actual.map(Object::toString)
                        .orElse("none"), now));
    }

    private HandoverEffect finish(Outbound o, SourcePhase end, Outcome outcome, String reason, long now) {
        o.phase = o.phase.moveTo(end);
        byToken.remove(o.token());
        byPlayer.remove(o.player(), o);
        long prepare = o.reservedAt < 0 ? -1 : o.reservedAt - o.startedAt;
        long commit = o.committedAt < 0 || o.reservedAt < 0 ? -1 : o.committedAt - o.reservedAt;
        long route = end == SourcePhase.DONE && "committed".equals(reason) ? now - o.committedAt : -1;
        return new HandoverEffect.Finished(new HandoverReport(Side.SOURCE, o.player(), o.token(), outcome, reason,
                prepare, commit, route, now - o.startedAt));
    }

    private HandoverEffect timer(Outbound o, long at) {
        return new HandoverEffect.SetTimer(new TimerKey(Side.SOURCE, o.token(), ++o.generation), at);
    }
}
