package io.worldmesh.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

/** Makes WebSocket clients suited to game traffic: many connections, large snapshots, no Nagle delay. */
public final class Clients {

    private Clients() {
    }

    public static WebSocketClient webSocketClient(Vertx vertx) {
        return vertx.createWebSocketClient(options());
    }

    /** A client whose connections leave from {@code localAddress} (see {@link SourceAddresses}). */
    public static WebSocketClient webSocketClient(Vertx vertx, String localAddress) {
        return vertx.createWebSocketClient(options().setLocalAddress(localAddress));
    }

    private static WebSocketClientOptions options() {
        return new WebSocketClientOptions()
                .setMaxConnections(100_000)
                .setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(16 * 1024 * 1024)
                .setConnectTimeout(10_000)
                .setTcpNoDelay(true);
    }
}
