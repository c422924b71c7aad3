package io.worldmesh.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * Two things a server WebSocket's API does not offer, done on the Netty channel under it (through Vert.x's
 * internal {@link WebSocketInternal}; AdmissionTest and SmallHeapTest catch the day an upgrade takes it away):
 * <ul>
 *   <li>stop and start reading a client, control frames included: {@code pause()} lets every ping through, as
 *       Vert.x fetches one more frame after each control frame (and has answered the ping before that);</li>
 *   <li>drop a client's TCP connection at once: {@code close()} waits for the close frame to be written before it
 *       starts its closing timeout, and for a client that does not read it is never written.</li>
 * </ul>
 * On the connection's event loop.
 */
final class ClientChannel {

    private ClientChannel() {
    }

    static void reading(ServerWebSocket ws, boolean on) {
        context(ws).channel().config().setAutoRead(on);
    }

    /** Closes the TCP connection from below Vert.x's handler, which would otherwise wait for a close handshake. */
    static void drop(ServerWebSocket ws) {
        context(ws).close();
    }

    private static ChannelHandlerContext context(ServerWebSocket ws) {
        return ((WebSocketInternal) ws).channelHandlerContext();
    }
}
