package io.worldmesh.handover;

import io.worldmesh.directory.Decision;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.RejectReason;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The target side of every inbound handover of one node, without IO. A staged copy accepts no input; it becomes
 * active only on COMMIT and only while the directory names this node owner at {@code e + 1} (rule 4); a PREPARE
 * whose token already has a decision is refused; a timeout resolves through the directory (rule 2).
 *
 * <p>PREPARE is idempotent: the same token with the same body gets the same answer again; the same token with
 * another body, or a token that already has a decision, gets 409. {@code S} is the node's staged copy.
 */
public final class TargetHandovers<S> {

    /** Finished tokens remembered to answer repeats without the directory; the directory is the real guard. */
    static final int RECENT_LIMIT = 4096;
    /** Repeats of one request answered together while the directory is asked; more are refused. */
    static final int PENDING_LIMIT = 8;
    /** CLEANUP is bookkeeping: after this many attempts the target stops sending it. */
    static final int CLEANUP_ATTEMPTS = 5;

    private final String nodeId;
    private final HandoverSettings settings;
    private final Map<String, Inbound<S>> byToken = new HashMap<>();
    private final Map<String, Inbound<S>> stagedByPlayer = new HashMap<>();
    private final Map<String, Finished> recent = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Finished> eldest) {
            return size() > RECENT_LIMIT;
        }
    };

    private record Finished(PeerRequest.Prepare prepare, boolean committed) {
    }

    private static final class Inbound<S> {
        final PeerRequest.Prepare prepare;
        final S staged;
        final long startedAt;
        TargetPhase phase = TargetPhase.CHECKING;
        final List<Long> prepareReplies = new ArrayList<>(1);
        final List<Long> commitReplies = new ArrayList<>(1);
        final List<Long> abortReplies = new ArrayList<>(1);
        long activatedAt = -1;
        long generation;
        Backoff backoff;
        int cleanupAttempts;

        Inbound(PeerRequest.Prepare prepare, S staged, long startedAt) {
            this.prepare = prepare;
            this.staged = staged;
            this.startedAt = startedAt;
        }

        String token() { return prepare.token(); }
        String player() { return prepare.playerId(); }
    }

    public TargetHandovers(String nodeId, HandoverSettings settings) {
        this.nodeId = nodeId;
        this.settings = settings;
    }

    /** Staged copies held now; bounded by {@code maxReservations}. */
    public int reservations() {
        return (int) byToken.values().stream().filter(i -> i.phase.staged()).count();
    }

    public int inFlight() {
        return byToken.size();
    }

    /** True while the player has a staged copy here that is not active yet. */
    public boolean isStaged(String playerId) {
        return stagedByPlayer.containsKey(playerId);
    }

    /** Whether this token is a handover in flight here, or one that ended here lately. */
    public boolean knows(String token) {
        return byToken.containsKey(token) || recent.containsKey(token);
    }

    public Optional<TargetPhase> phaseOf(String token) {
        return Optional.ofNullable(byToken.get(token)).map(i -> i.phase);
    }

    /**
     * A PREPARE. For a token not seen before, {@code admit} checks it and stages a copy; then the directory is
     * asked whether the token already has a decision, and RESERVED goes out only if it has none.
     */
    public List<HandoverEffect> onPrepare(long requestId, PeerRequest.Prepare p, Function<PeerRequest.Prepare,
            Admission<S>> admit, long now) {
        Inbound<S> known = byToken.get(p.token());
        if (known != null) {
            if (!known.prepare.equals(p)) {
                return refuse(requestId, 409, "token_reused", "this token was used with another body");
            }
            return switch (known.phase) {
                case CHECKING -> pend(known.prepareReplies, requestId);
                case RESERVED -> List.of(reply(requestId, new PeerReply.Reserved(p.token())));
                default -> refuse(requestId, 409, "decided", "this handover's token already has a decision");
            };
        }
        Finished done = recent.get(p.token());
        if (done != null) {
            return done.prepare.equals(p)
                    ? refuse(requestId, 409, "decided", "this handover's token already has a decision")
                    : refuse(requestId, 409, "token_reused", "this token was used with another body");
        }
        if (!nodeId.equals(p.targetNode())) {
            return List.of(reply(requestId, new PeerReply.Rejected(p.token(), RejectReason.NOT_OWNER_OF_CELL,
                    "this is node " + nodeId + ", not " + p.targetNode())));
        }
        if (stagedByPlayer.containsKey(p.playerId())) {
            return List.of(reply(requestId, new PeerReply.Rejected(p.token(), RejectReason.BUSY,
                    "another handover of this player is staged here")));
        }
        if (reservations() >= settings.maxReservations()) {
            return List.of(reply(requestId, new PeerReply.Rejected(p.token(), RejectReason.BUSY,
                    "this node holds " + settings.maxReservations() + " reservations already")));
        }
        return switch (admit.apply(p)) {
            case Admission.Reject<S> r -> List.of(reply(requestId, new PeerReply.Rejected(p.token(), r.reason(),
                    r.detail())));
            case Admission.Admit<S> a -> {
                Inbound<S> in = new Inbound<>(p, a.staged(), now);
                in.prepareReplies.add(requestId);
                byToken.put(p.token(), in);
                stagedByPlayer.put(p.playerId(), in);
                yield List.of(new HandoverEffect.ReadDecision(p.playerId(), p.token()),
                        timer(in, now + settings.prepareNanos()));
            }
        };
    }

    public List<HandoverEffect> onDecision(String token, Optional<Decision> decision, long now) {
        Inbound<S> in = byToken.get(token);
        if (in == null || in.phase != TargetPhase.CHECKING) {
            return List.of();
        }
        List<HandoverEffect> out = new ArrayList<>();
        if (decision.isPresent()) {
            for (long id : in.prepareReplies) {
                out.addAll(refuse(id, 409, "decided", "this handover's token already has a decision"));
            }
            out.add(discard(in, "decided_before_prepare", now));
            return out;
        }
        in.phase = in.phase.moveTo(TargetPhase.RESERVED);
        for (long id : in.prepareReplies) {
            out.add(reply(id, new PeerReply.Reserved(token)));
        }
        in.prepareReplies.clear();
        out.add(timer(in, now + settings.commitNanos()));
        return out;
    }

    public List<HandoverEffect> onCommit(long requestId, PeerRequest.Commit c, long now) {
        Inbound<S> in = byToken.get(c.token());
        if (in == null) {
            Finished done = recent.get(c.token());
            if (done != null && done.committed && done.prepare.playerId().equals(c.playerId())
                    && done.prepare.epoch() + 1 == c.epoch()) {
                return List.of(reply(requestId, new PeerReply.Confirmed(c.token(), c.epoch())));
            }
            return refuse(requestId, 409, "unknown_token", "no reservation for this token");
        }
        if (!in.player().equals(c.playerId()) || in.prepare.epoch() + 1 != c.epoch()) {
            return refuse(requestId, 409, "stale_epoch", "the reservation is for " + in.player() + " at epoch "
                    + (in.prepare.epoch() + 1));
        }
        return switch (in.phase) {
            case CHECKING -> refuse(requestId, 409, "out_of_order", "COMMIT before RESERVED");
            case RESERVED -> {
                in.commitReplies.add(requestId);
                yield activate(in, now);
            }
            case RESOLVING, ACTIVATING -> pend(in.commitReplies, requestId);
            case ROUTING, CLEANING, DONE -> List.of(reply(requestId, new PeerReply.Confirmed(c.token(), c.epoch())));
            case DISCARDED -> refuse(requestId, 409, "decided", "this handover was aborted");
        };
    }

    public List<HandoverEffect> onAbort(long requestId, PeerRequest.Abort a, long now) {
        Inbound<S> in = byToken.get(a.token());
        if (in == null || !in.player().equals(a.playerId())) {
            Finished done = recent.get(a.token());
            return done != null && done.committed
                    ? refuse(requestId, 409, "decided", "this handover committed")
                    : List.of(reply(requestId, new PeerReply.Aborted(a.token())));
        }
        return switch (in.phase) {
            // An ABORT message is never taken on trust: the directory's decision is the outcome.
            case CHECKING, RESERVED -> {
                in.abortReplies.add(requestId);
                yield resolve(in, now);
            }
            case RESOLVING -> pend(in.abortReplies, requestId);
            case ACTIVATING, ROUTING, CLEANING, DONE -> refuse(requestId, 409, "decided", "this handover committed");
            case DISCARDED -> List.of(reply(requestId, new PeerReply.Aborted(a.token())));
        };
    }

    public List<HandoverEffect> onResolved(String token, Decision decision, long now) {
        Inbound<S> in = byToken.get(token);
        if (in == null || in.phase != TargetPhase.RESOLVING) {
            return List.of();
        }
        if (decision == Decision.COMMIT) {
            List<HandoverEffect> out = new ArrayList<>();
            for (long id : in.abortReplies) {
                out.addAll(refuse(id, 409, "decided", "this handover committed"));
            }
            in.abortReplies.clear();
            out.addAll(activate(in, now));
            return out;
        }
        List<HandoverEffect> out = new ArrayList<>();
        for (long id : in.abortReplies) {
            out.add(reply(id, new PeerReply.Aborted(token)));
        }
        for (long id : in.commitReplies) {
            out.addAll(refuse(id, 409, "decided", "this handover was aborted"));
        }
        for (long id : in.prepareReplies) {
            out.addAll(refuse(id, 409, "decided", "this handover was aborted"));
        }
        out.add(discard(in, "aborted", now));
        return out;
    }

    /** Rule 4: activate only while the directory names this node owner at {@code e + 1}. */
    public List<HandoverEffect> onOwner(String token, Optional<OwnerRecord> owner, long now) {
        Inbound<S> in = byToken.get(token);
        if (in == null || in.phase != TargetPhase.ACTIVATING) {
            return List.of();
        }
        long epoch = in.prepare.epoch() + 1;
        List<HandoverEffect> out = new ArrayList<>();
        if (!owner.equals(Optional.of(new OwnerRecord(nodeId, epoch)))) {
            for (long id : in.commitReplies) {
                out.addAll(refuse(id, 409, "not_owner", "the directory names " + owner.map(Object::toString)
                        .orElse("no owner") + ", not " + nodeId + "@" + epoch));
            }
            out.add(discard(in, "not_owner_at_activation", now));
            return out;
        }
        in.phase = in.phase.moveTo(TargetPhase.ROUTING);
        in.activatedAt = now;
        stagedByPlayer.remove(in.player(), in);
        in.backoff = new Backoff(settings.resendNanos(), settings.routeNanos());
        out.add(new HandoverEffect.Activate(in.prepare, in.staged, epoch));
        for (long id : in.commitReplies) {
            out.add(reply(id, new PeerReply.Confirmed(token, epoch)));
        }
        in.commitReplies.clear();
        out.add(route(in));
        out.add(timer(in, now + in.backoff.next()));
        return out;
    }

    public List<HandoverEffect> onDirectoryFailed(String token, long now) {
        Inbound<S> in = byToken.get(token);
        if (in == null) {
            return List.of();
        }
        return switch (in.phase) {
            case CHECKING, RESOLVING, ACTIVATING -> List.of(timer(in, now + backoff(in).next()));
            default -> List.of();
        };
    }

    /** The gateway switched its route for the player to this node at {@code epoch}. */
    public List<HandoverEffect> onRouteAck(String playerId, long epoch, long now) {
        for (Inbound<S> in : byToken.values()) {
            if (in.phase == TargetPhase.ROUTING && in.player().equals(playerId) && in.prepare.epoch() + 1 == epoch) {
                in.phase = in.phase.moveTo(TargetPhase.CLEANING);
                in.backoff = new Backoff(settings.resendNanos(), settings.commitNanos());
                return List.of(cleanup(in), timer(in, now + in.backoff.next()));
            }
        }
        return List.of();
    }

    public List<HandoverEffect> onReply(String token, PeerReply reply, long now) {
        Inbound<S> in = byToken.get(token);
        if (in != null && in.phase == TargetPhase.CLEANING && reply instanceof PeerReply.CleanedUp) {
            return List.of(done(in, now));
        }
        return List.of();
    }

    public List<HandoverEffect> onSendFailed(String token, long now) {
        return List.of(); // the CLEANING timer resends
    }

    public List<HandoverEffect> onTimer(TimerKey key, long now) {
        Inbound<S> in = byToken.get(key.token());
        if (in == null || key.side() != Side.TARGET || key.generation() != in.generation) {
            return List.of();
        }
        return switch (in.phase) {
            case CHECKING -> List.of(new HandoverEffect.ReadDecision(in.player(), in.token()),
                    timer(in, now + backoff(in).next()));
            case RESERVED -> resolve(in, now);
            case RESOLVING -> List.of(new HandoverEffect.ResolveInDirectory(in.player(), in.token(), Side.TARGET),
                    timer(in, now + backoff(in).next()));
            case ACTIVATING -> List.of(new HandoverEffect.ReadOwner(in.player(), in.token()),
                    timer(in, now + backoff(in).next()));
            case ROUTING -> List.of(route(in), timer(in, now + in.backoff.next()));
            case CLEANING -> ++in.cleanupAttempts >= CLEANUP_ATTEMPTS ? List.of(done(in, now))
                    : List.of(cleanup(in), timer(in, now + in.backoff.next()));
            case DISCARDED, DONE -> List.of();
        };
    }

    private List<HandoverEffect> activate(Inbound<S> in, long now) {
        in.phase = in.phase.moveTo(TargetPhase.ACTIVATING);
        in.backoff = new Backoff(settings.resendNanos(), settings.commitNanos());
        return List.of(new HandoverEffect.ReadOwner(in.player(), in.token()), timer(in, now + settings.commitNanos()));
    }

    private List<HandoverEffect> resolve(Inbound<S> in, long now) {
        in.phase = in.phase.moveTo(TargetPhase.RESOLVING);
        in.backoff = new Backoff(settings.resendNanos(), settings.commitNanos());
        return List.of(new HandoverEffect.ResolveInDirectory(in.player(), in.token(), Side.TARGET),
                timer(in, now + settings.commitNanos()));
    }

    private HandoverEffect route(Inbound<S> in) {
        return new HandoverEffect.Route(in.prepare.gatewayId(), in.player(), in.prepare.epoch() + 1,
                in.prepare.state().lastAppliedSeq());
    }

    private HandoverEffect cleanup(Inbound<S> in) {
        return new HandoverEffect.Send(in.prepare.sourceNode(), new PeerRequest.Cleanup(in.player(), in.token()));
    }

    private HandoverEffect discard(Inbound<S> in, String reason, long now) {
        in.phase = in.phase.moveTo(TargetPhase.DISCARDED);
        forget(in, false);
        return new HandoverEffect.Finished(new HandoverReport(Side.TARGET, in.player(), in.token(), Outcome.ABORTED,
                reason, -1, -1, -1, now - in.startedAt));
    }

    private HandoverEffect done(Inbound<S> in, long now) {
        in.phase = in.phase.moveTo(TargetPhase.DONE);
        forget(in, true);
        return new HandoverEffect.Finished(new HandoverReport(Side.TARGET, in.player(), in.token(),
                Outcome.COMMITTED, "committed", -1, -1, now - in.activatedAt, now - in.startedAt));
    }

    private void forget(Inbound<S> in, boolean committed) {
        byToken.remove(in.token());
        stagedByPlayer.remove(in.player(), in);
        recent.put(in.token(), new Finished(in.prepare, committed));
    }

    private Backoff backoff(Inbound<S> in) {
        if (in.backoff == null) {
            in.backoff = new Backoff(settings.resendNanos(), settings.commitNanos());
        }
        return in.backoff;
    }

    private List<HandoverEffect> pend(List<Long> replies, long requestId) {
        if (replies.size() >= PENDING_LIMIT) {
            return refuse(requestId, 429, "busy", "too many repeats of this request in flight");
        }
        replies.add(requestId);
        return List.of();
    }

    private static HandoverEffect reply(long requestId, PeerReply reply) {
        return new HandoverEffect.Reply(requestId, reply);
    }

    private static List<HandoverEffect> refuse(long requestId, int status, String code, String reason) {
        return List.of(reply(requestId, new PeerReply.Refused(status, code, reason)));
    }

    private HandoverEffect timer(Inbound<S> in, long at) {
        return new HandoverEffect.SetTimer(new TimerKey(Side.TARGET, in.token(), ++in.generation), at);
    }
}
