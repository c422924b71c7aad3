package io.worldmesh.protocol.link;

import io.worldmesh.protocol.trace.TraceParent;

/** Frames from a simulation node to a gateway that holds player connections. */
public sealed interface ToGateway permits ToGateway.Attached, ToGateway.Refused, ToGateway.ToClient, ToGateway.Hold,
        ToGateway.Release, ToGateway.Route, ToGateway.Gone, ToGateway.EchoReply {

    /**
     * The player for connection {@code connectionId} is in the world, owned by this node at {@code epoch};
     * {@code lastAppliedSeq} is where a resumed client's input sequence goes on from (0 for a new player).
     */
    record Attached(long connectionId, String playerId, boolean resumed, long lastAppliedSeq, long epoch,
                    WorldInfo world) implements ToGateway {
    }

    /** The node could not place the player for connection {@code connectionId}; the client is told why. */
    record Refused(long connectionId, String reason) implements ToGateway {
    }

    /**
     * A message for one player's client, already encoded as UTF-8 JSON. A {@code droppable} one (a snapshot, which
     * the next tick's supersedes) may be skipped for a client that cannot keep up; an event may not. A snapshot
     * carries its {@code tick} and {@code lastAppliedSeq}, so that the gateway can release the inputs it covers;
     * other messages carry -1.
     */
    record ToClient(String playerId, byte[] json, boolean droppable, long tick, long lastAppliedSeq)
            implements ToGateway {
    }

    /**
     * The node froze the player for a handover at {@code epoch}: keep its new inputs at the gateway.
     * {@code traceparent} is the handover's trace context ({@link TraceParent}), or null: tracing only.
     */
    record Hold(String playerId, long epoch, String traceparent) implements ToGateway {
        public Hold {
            traceparent = TraceParent.orNull(traceparent);
        }

        public Hold(String playerId, long epoch) {
            this(playerId, epoch, null);
        }

        public Hold withTraceparent(String t) {
            return new Hold(playerId, epoch, t);
        }
    }

    /** The handover aborted: the node simulates the player again; send it what it has not applied. */
    record Release(String playerId, long epoch, long lastAppliedSeq) implements ToGateway {
    }

    /**
     * ROUTE: this node owns the player from {@code epoch} on; answer with {@link ToNode.RouteAck}.
     * {@code traceparent} is the handover's trace context ({@link TraceParent}), or null: tracing only.
     */
    record Route(String playerId, long epoch, long lastAppliedSeq, String traceparent) implements ToGateway {
        public Route {
            traceparent = TraceParent.orNull(traceparent);
        }

        public Route(String playerId, long epoch, long lastAppliedSeq) {
            this(playerId, epoch, lastAppliedSeq, null);
        }

        public Route withTraceparent(String t) {
            return new Route(playerId, epoch, lastAppliedSeq, t);
        }
    }

    /**
     * The player is no longer on this node: it was restored here at {@code epoch} after a crash, and its resume window
     * ran out before any gateway named its client. Sent in answer to a {@link ToNode.RouteAck} that names connection
     * {@code connectionId}, and to a gateway that links only afterwards with -1 (any connection). The gateway drops a
     * route that names this node at that epoch or an older one, and closes the connection, whose client joins anew.
     */
    record Gone(String playerId, long epoch, long connectionId, String reason) implements ToGateway {
    }

    record EchoReply(long id) implements ToGateway {
    }
}
