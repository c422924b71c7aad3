package io.worldmesh.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.worldmesh.protocol.tls.TlsFiles;

/** Makes WebSocket clients suited to game traffic: many connections, large snapshots, no Nagle delay. */
public final class Clients {

    private Clients() {
    }

    public static WebSocketClient webSocketClient(Vertx vertx) {
        return webSocketClient(vertx, TlsFiles.NONE);
    }

    /** A client that trusts {@code tls}'s bundle (the JVM's default store without one) for {@code wss} gateways. */
    public static WebSocketClient webSocketClient(Vertx vertx, TlsFiles tls) {
        return vertx.createWebSocketClient(tls.clientOptions(options()));
    }

    /** A client whose connections leave from {@code localAddress} (see {@link SourceAddresses}). */
    public static WebSocketClient webSocketClient(Vertx vertx, String localAddress) {
        return webSocketClient(vertx, localAddress, TlsFiles.NONE);
    }

    /** As above, trusting {@code tls}'s bundle for {@code wss} gateways. */
    public static WebSocketClient webSocketClient(Vertx vertx, String localAddress, TlsFiles tls) {
        return vertx.createWebSocketClient(tls.clientOptions(options().setLocalAddress(localAddress)));
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
