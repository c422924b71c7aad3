package io.worldmesh.node.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateways that link to a node, as the node has seen them: which start (incarnation) of each, whether its link
 * is up, and since when it is down. Plain code on the node's clock.
 *
 * <p>A link that drops and comes back from the same start is a blip: its clients are still there, so nothing
 * happens if it is back within the grace. A link down for longer is a gateway presumed dead: its players are
 * disconnected and their resume windows run (they come back by a resume, through any gateway), and should the same
 * start link again, they are connected again. A link from a new start of a gateway means the old one died: its
 * clients are gone, and so are the connections this node held for them (the new start numbers its connections from
 * the beginning again).
 */
final class GatewayPresence {

    /** What a link that has passed its handshake means. */
    enum Linked {
        /** A gateway not seen before. */
        FIRST,
        /** The same start again after a blip shorter than the grace: nothing to do. */
        AGAIN,
        /** The same start again after its players were disconnected for a lapse: connect them again. */
        RETURNED,
        /** Another start of a gateway seen before: the old one's clients are gone. */
        RESTARTED,
        /** More gateways than {@link #max}: not followed (a misbehaving peer). */
        NOT_FOLLOWED
    }

    private static final class Seen {
        long incarnation;
        boolean up;
        long downSince;
        boolean lapsed;
    }

    private final int max;
    private final long graceNanos;
    private final Map<String, Seen> seen = new LinkedHashMap<>();

    GatewayPresence(int max, long graceNanos) {
        this.max = max;
        this.graceNanos = graceNanos;
    }

    Linked linked(String gatewayId, long incarnation) {
        Seen s = seen.get(gatewayId);
        if (s == null) {
            if (seen.size() >= max) {
                return Linked.NOT_FOLLOWED;
            }
            s = new Seen();
            s.incarnation = incarnation;
            s.up = true;
            seen.put(gatewayId, s);
            return Linked.FIRST;
        }
        boolean wasLapsed = s.lapsed;
        s.up = true;
        s.lapsed = false;
        if (s.incarnation != incarnation) {
            s.incarnation = incarnation;
            return Linked.RESTARTED;
        }
        return wasLapsed ? Linked.RETURNED : Linked.AGAIN;
    }

    /** The gateway's link closed (a newer link from it may already have replaced it: the transport says which). */
    void unlinked(String gatewayId, long nowNanos) {
        Seen s = seen.get(gatewayId);
        if (s != null && s.up) {
            s.up = false;
            s.downSince = nowNanos;
        }
    }

    /** Gateways whose link has now been down for the whole grace: each once per outage. */
    List<String> lapsedNow(long nowNanos) {
        List<String> lapsed = new ArrayList<>();
        seen.forEach((id, s) -> {
            if (!s.up && !s.lapsed && nowNanos - s.downSince >= graceNanos) {
                s.lapsed = true;
                lapsed.add(id);
            }
        });
        return lapsed;
    }

    /** Every gateway seen, up or not: where a restored player's ROUTE goes. */
    Set<String> known() {
        return seen.keySet();
    }

    /** The start of the gateway last seen linking, or -1 for one never seen. */
    long incarnationOf(String gatewayId) {
        Seen s = seen.get(gatewayId);
        return s == null ? -1 : s.incarnation;
    }

    boolean isUp(String gatewayId) {
        Seen s = seen.get(gatewayId);
        return s != null && s.up;
    }

    /** Seen, and its link is down now (a gateway never seen is neither up nor down). */
    boolean isDown(String gatewayId) {
        Seen s = seen.get(gatewayId);
        return s != null && !s.up;
    }
}
