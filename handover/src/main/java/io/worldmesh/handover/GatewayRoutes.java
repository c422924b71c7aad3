package io.worldmesh.handover;

import io.worldmesh.protocol.client.ClientMessage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The gateway's route switch, without IO: which node owns each player at which epoch, and every input not yet
 * covered by a snapshot's {@code last_applied_seq}. It routes to the highest epoch it has been told of and ignores
 * ROUTEs at a lower or equal one (rule 6), and an ATTACHED at a lower one (a resume answered by a node that has
 * handed the player on); after a switch it replays the kept inputs with {@code seq} above the handed-over
 * {@code last_applied_seq}, in order (rule 7). There is no fall-back to a source.
 *
 * <p>The route of a client that has gone is kept: a handover the gateway has not heard of yet may still switch it,
 * and then the new owner is told the client is gone; and the epoch it knows fences a late ATTACHED. So is a ROUTE
 * for a player with no client here yet, kept the same way.
 *
 * <p>Bounds: at most {@code maxBuffered} inputs per player are kept (forwarded but unconfirmed, plus held); past it
 * an input is refused, and the client is told {@code overloaded}. At most {@code maxDetached} routes of gone
 * clients (and of players with no client here yet) are kept; past it the oldest are forgotten.
 */
public final class GatewayRoutes {

    /** Routes of gone clients kept by default: far more than can disconnect while a handover is in flight. */
    public static final int MAX_DETACHED = 16_384;

    private final int maxBuffered;
    private final int maxDetached;
    private final Map<String, Route> routes = new HashMap<>();
    /** Players whose client went, oldest first (a player may be in it more than once). */
    private final Deque<String> detached = new ArrayDeque<>();
    /**
     * Nodes whose link is down: inputs for their players are kept, not forwarded, until the link's return replays
     * them all in order. Forwarded meanwhile on a link that has just come back, a new input would reach the node
     * before the replay, and the node would drop the replayed ones as stale: applied never.
     */
    private final Set<String> linksDown = new HashSet<>();

    /** Where one player's inputs go. */
    private static final class Route {
        String node;
        long epoch;
        long appliedSeq;
        boolean held;
        /** An audit found the directory naming another node the owner: audited again until a ROUTE switches it. */
        boolean ownedElsewhere;
        /** A snapshot came from {@code node} since the last {@link #toAuditWhenSilent}, or the route is new since. */
        boolean heard = true;
        long connectionId;
        boolean connected = true;
        /** Forwarded to {@code node} but not yet covered by a snapshot, oldest first. */
        final Deque<ClientMessage.Input> unconfirmed = new ArrayDeque<>();
        /** Arrived while held; not forwarded anywhere yet. */
        final Deque<ClientMessage.Input> waiting = new ArrayDeque<>();

        int buffered() {
            return unconfirmed.size() + waiting.size();
        }
    }

    /** Where a player is routed, for inspection and for frames from nodes. */
    public record Placement(String node, long epoch, boolean held, int buffered) {
    }

    public GatewayRoutes(int maxBuffered) {
        this(maxBuffered, MAX_DETACHED);
    }

    public GatewayRoutes(int maxBuffered, int maxDetached) {
        if (maxBuffered < 1) {
            throw new IllegalArgumentException("max buffered inputs must be >= 1, was " + maxBuffered);
        }
        if (maxDetached < 0) {
            throw new IllegalArgumentException("max detached routes must be >= 0, was " + maxDetached);
        }
        this.maxBuffered = maxBuffered;
        this.maxDetached = maxDetached;
    }

    /**
     * A node attached the player on connection {@code connectionId} at {@code epoch}: route to it from now on,
     * unless a newer owner is known. That happens when a client resumes while its player is frozen for a handover:
     * the source answers at its old epoch, and the target's ROUTE may reach the gateway first.
     *
     * @return empty when bound; otherwise the node that owns the player at a higher epoch, where the connection is
     *         to be attached instead (the route is left as it was)
     */
    public Optional<String> bind(String playerId, long connectionId, String node, long epoch, long lastAppliedSeq) {
        Route known = routes.get(playerId);
        if (known != null && known.epoch > epoch) {
            return Optional.of(known.node);
        }
        Route r = new Route();
        r.node = node;
        r.epoch = epoch;
        r.appliedSeq = lastAppliedSeq;
        r.connectionId = connectionId;
        routes.put(playerId, r);
        return Optional.empty();
    }

    public Optional<Placement> placement(String playerId) {
        Route r = routes.get(playerId);
        return r == null ? Optional.empty() : Optional.of(new Placement(r.node, r.epoch, r.held, r.buffered()));
    }

    /** True when frames for the player from {@code node} come from its current owner and may reach the client. */
    public boolean isRoutedTo(String playerId, String node) {
        Route r = routes.get(playerId);
        return r != null && r.node.equals(node);
    }

    /** Players with a route, those whose client has gone included. */
    public int players() {
        return routes.size();
    }

    /** Inputs kept over all players. */
    public int bufferedInputs() {
        int n = 0;
        for (Route r : routes.values()) {
            n += r.buffered();
        }
        return n;
    }

    public List<RouteEffect> onInput(String playerId, ClientMessage.Input input) {
        Route r = routes.get(playerId);
        if (r == null || !r.connected) {
            return List.of(new RouteEffect.Refuse(playerId, input.seq(), "the player is not attached"));
        }
        if (r.buffered() >= maxBuffered) {
            return List.of(new RouteEffect.Refuse(playerId, input.seq(), "more than " + maxBuffered
                    + " inputs are waiting for the simulation; input dropped"));
        }
        if (r.held) {
            r.waiting.addLast(input);
            return List.of();
        }
        r.unconfirmed.addLast(input);
        if (linksDown.contains(r.node)) {
            return List.of();
        }
        return List.of(new RouteEffect.Forward(r.node, playerId, input));
    }

    /** A snapshot from {@code node} says it has applied the player's inputs up to {@code lastAppliedSeq}. */
    public void onApplied(String playerId, String node, long lastAppliedSeq) {
        Route r = routes.get(playerId);
        if (r != null && r.node.equals(node)) {
            r.heard = true;
            if (lastAppliedSeq > r.appliedSeq) {
                r.appliedSeq = lastAppliedSeq;
                dropConfirmed(r);
            }
        }
    }

    /** The owner froze the player for a handover: keep its new inputs here. */
    public void onHold(String node, String playerId, long epoch) {
        Route r = routes.get(playerId);
        if (r != null && r.node.equals(node) && r.epoch == epoch) {
            r.held = true;
        }
    }

    /** The handover aborted: the owner simulates the player again; replay what it has not applied. */
    public List<RouteEffect> onRelease(String node, String playerId, long epoch, long lastAppliedSeq) {
        Route r = routes.get(playerId);
        if (r == null || !r.node.equals(node) || r.epoch != epoch) {
            return List.of();
        }
        r.held = false;
        return replay(playerId, r, lastAppliedSeq); // nothing, for a gone client: its inputs went with it
    }

    /**
     * The target owns the player at {@code epoch}: switch if that is newer than the route, replay, and ACK in any
     * case (a repeat or a stale ROUTE changes nothing, but its sender may stop resending).
     */
    public List<RouteEffect> onRoute(String node, String playerId, long epoch, long lastAppliedSeq) {
        Route r = routes.get(playerId);
        List<RouteEffect> out = new ArrayList<>();
        if (r == null) {
            // No client of it here yet, but one may be resuming it at its old owner (after this gateway restarted,
            // say): kept like a gone client's route, so that the old owner's answer at its lower epoch is sent on
            // to this node instead of binding the client to a node that no longer has the player.
            Route placeholder = new Route();
            placeholder.node = node;
            placeholder.epoch = epoch;
            placeholder.appliedSeq = lastAppliedSeq;
            placeholder.connectionId = -1;
            placeholder.connected = false;
            routes.put(playerId, placeholder);
            rememberGone(playerId);
            out.add(new RouteEffect.Ack(node, playerId, epoch));
            return out;
        }
        if (epoch <= r.epoch) {
            out.add(new RouteEffect.Ack(node, playerId, epoch, r.connected && r.node.equals(node) ? r.connectionId
                    : -1));
            return out;
        }
        r.node = node;
        r.epoch = epoch;
        r.held = false;
        r.ownedElsewhere = false;
        r.heard = true;
        out.add(new RouteEffect.Ack(node, playerId, epoch, r.connected ? r.connectionId : -1));
        if (!r.connected) {
            // The client left during the handover: only the new owner can start its resume window now.
            out.add(new RouteEffect.Detach(node, playerId, r.connectionId));
            return out;
        }
        out.addAll(replay(playerId, r, lastAppliedSeq));
        return out;
    }

    /**
     * The link to {@code node} is up again after it dropped: what was sent on it meanwhile may never have arrived. For
     * each player routed there, the inputs not yet covered by a snapshot go again, in order (the node applies only
     * seqs above its {@code last_applied_seq}, so one that did arrive is not applied twice; one that a newer input
     * overtook is dropped there as stale, never applied late), and a client that has gone is detached again (a
     * detach is idempotent). Held players are left alone: their inputs wait for the handover's outcome.
     */
    public List<RouteEffect> onLinkUp(String node) {
        linksDown.remove(node);
        List<RouteEffect> out = new ArrayList<>();
        routes.forEach((playerId, r) -> {
            if (!r.node.equals(node) || r.held) {
                return;
            }
            if (!r.connected) {
                out.add(new RouteEffect.Detach(node, playerId, r.connectionId));
                return;
            }
            for (ClientMessage.Input input : r.unconfirmed) {
                out.add(new RouteEffect.Forward(node, playerId, input));
            }
        });
        return out;
    }

    /** A player whose client is connected here, and the node its route names. */
    public record Routed(String playerId, String node) {
    }

    /**
     * What to ask the directory about once the link to {@code node} is back (the node may have started again, and
     * not know them), each with the node its route names: the players routed there whose client is connected here,
     * and, wherever their route is, every held one and every one an audit found owned by another node. Either waits
     * for a ROUTE (or a RELEASE), and the node that would send it may be the one that started again: the one that
     * restored the player after its owner died, say, whose ROUTE died with it and whose resume window then ran out.
     * Without the read, that client would wait on its inputs for good. Sorted, so that every run asks in the same
     * order.
     */
    public List<Routed> toAuditOnLinkUp(String node) {
        return connectedWhere(r -> r.node.equals(node) || r.held || r.ownedElsewhere);
    }

    /**
     * The players with a connected client here whose route's node has sent no snapshot of them since the last call
     * (made every few seconds): a live owner sends one every tick, so the silence says the route may name a node
     * that no longer has the player while its owner's ROUTE was lost (the owner crashed too, say, and the player's
     * resume window ran out there). The gateway asks the directory about each, as at a link's return; this costs
     * one read per silent player per call, and nothing while every owner is heard from. Sorted, for the simulator.
     */
    public List<Routed> toAuditWhenSilent() {
        List<Routed> silent = connectedWhere(r -> !r.heard);
        routes.values().forEach(r -> r.heard = false);
        return silent;
    }

    /** The players with a connected client whose route passes {@code test}, by id. */
    private List<Routed> connectedWhere(Predicate<Route> test) {
        List<Routed> out = new ArrayList<>();
        routes.forEach((playerId, r) -> {
            if (r.connected && test.test(r)) {
                out.add(new Routed(playerId, r.node));
            }
        });
        out.sort(Comparator.comparing(Routed::playerId));
        return out;
    }

    /**
     * An audit of the route to {@code node} found the directory naming another node the player's owner: that node's
     * ROUTE is still to come (or was lost with it), so the route is audited again at every link's return until a
     * ROUTE switches it ({@link #toAuditOnLinkUp}).
     */
    public void onOwnerElsewhere(String playerId, String node) {
        Route r = routes.get(playerId);
        if (r != null && r.node.equals(node)) {
            r.ownedElsewhere = true;
        }
    }

    /** The link to {@code node} went down: its players' inputs are kept until {@link #onLinkUp}. */
    public void onLinkDown(String node) {
        linksDown.add(node);
    }

    /**
     * The player's client has gone. Returns where to send the detach now; the route is kept, since a handover may
     * still switch it (even one whose HOLD is still on its way), so that the new owner is told as well.
     */
    public Optional<RouteEffect.Detach> onDisconnected(String playerId, long connectionId) {
        Route r = routes.get(playerId);
        if (r == null || r.connectionId != connectionId) {
            return Optional.empty();
        }
        r.connected = false;
        r.unconfirmed.clear();
        r.waiting.clear();
        rememberGone(playerId);
        return Optional.of(new RouteEffect.Detach(r.node, playerId, connectionId));
    }

    private void rememberGone(String playerId) {
        detached.addLast(playerId);
        while (detached.size() > maxDetached) {
            String oldest = detached.removeFirst();
            Route old = routes.get(oldest);
            if (old != null && !old.connected) {
                routes.remove(oldest);
            }
        }
    }

    /**
     * {@code node} no longer holds the player it had up to {@code epoch} (restored there after a crash, its resume
     * window ran out before this gateway's ACK reached it, or before its link did): the route is forgotten if it
     * still names that node at that epoch or an older one, and that connection ({@code connectionId}, or -1 for
     * whichever the route has). Returns the connection to close, if the route had a connected client; a newer route,
     * or one to another node, is left alone.
     */
    public java.util.OptionalLong onGone(String node, String playerId, long epoch, long connectionId) {
        Route r = routes.get(playerId);
        if (r == null || !r.node.equals(node) || r.epoch > epoch
                || (connectionId >= 0 && r.connectionId != connectionId)) {
            return java.util.OptionalLong.empty();
        }
        routes.remove(playerId);
        return r.connected ? java.util.OptionalLong.of(r.connectionId) : java.util.OptionalLong.empty();
    }

    /**
     * {@code node} refused to resume the player: it does not hold it (had it, it would have attached it). The route
     * there is forgotten, so that the client's next try asks the directory where the player is, or joins anew if no
     * one holds it, rather than asking the same node for ever; a route to another node is left alone.
     */
    public void onResumeRefused(String node, String playerId) {
        Route r = routes.get(playerId);
        if (r != null && r.node.equals(node)) {
            routes.remove(playerId);
        }
    }

    /** Forgets the player (its connection is gone and no handover is pending, or it was superseded). */
    public void remove(String playerId) {
        routes.remove(playerId);
    }

    private List<RouteEffect> replay(String playerId, Route r, long lastAppliedSeq) {
        r.appliedSeq = Math.max(r.appliedSeq, lastAppliedSeq);
        r.unconfirmed.addAll(r.waiting);
        r.waiting.clear();
        dropConfirmed(r);
        if (linksDown.contains(r.node)) {
            return List.of(); // replayed when the link is back
        }
        List<RouteEffect> out = new ArrayList<>(r.unconfirmed.size());
        for (ClientMessage.Input input : r.unconfirmed) {
            out.add(new RouteEffect.Forward(r.node, playerId, input));
        }
        return out;
    }

    private static void dropConfirmed(Route r) {
        while (!r.unconfirmed.isEmpty() && r.unconfirmed.peekFirst().seq() <= r.appliedSeq) {
            r.unconfirmed.removeFirst();
        }
    }
}
