package io.worldmesh.client;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.worldmesh.protocol.tls.TlsFiles;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The local addresses many clients of one process connect from. A gateway holds each remote address to a number of
 * connections, so clients for a gateway on this machine spread over loopback addresses, {@value #PER_ADDRESS} to
 * each: 127.0.0.1, 127.0.0.2, ..., as Linux routes all of 127/8 to the loopback interface. Elsewhere (a remote
 * gateway, or a system that answers on 127.0.0.1 alone), they all use the system's choice and the gateway's limit
 * must be raised for them. One WebSocket client per address, made on first use; close them with {@link #close}.
 */
public final class SourceAddresses implements AutoCloseable {

    /** Well under the gateway's default of 32 connections per address. */
    public static final int PER_ADDRESS = 16;

    private static volatile Boolean loopbackSpreads;

    private final Vertx vertx;
    private final boolean spread;
    private final TlsFiles tls;
    private final Map<String, WebSocketClient> clients = new HashMap<>();
    private WebSocketClient plain;

    public SourceAddresses(Vertx vertx, URI target) {
        this(vertx, target, TlsFiles.NONE);
    }

    /** {@code tls}: what the clients trust for a {@code wss} target (the JVM's default store without a bundle). */
    public SourceAddresses(Vertx vertx, URI target, TlsFiles tls) {
        this.vertx = vertx;
        this.spread = isLoopback(target.getHost()) && spreadsLoopback();
        this.tls = tls;
    }

    /**
     * Where to connect: for a spread loopback target, at 127.0.0.1 (localhost could resolve to ::1). A {@code wss}
     * one's certificate must then name 127.0.0.1, as the one {@code cluster --tls} makes does.
     */
    public URI target(URI target) {
        if (!spread || target.getHost().equals("127.0.0.1")) {
            return target;
        }
        try {
            return new URI(target.getScheme(), target.getUserInfo(), "127.0.0.1", target.getPort(),
                    target.getPath(), target.getQuery(), target.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The WebSocket client for the {@code n}-th client (from 0). */
    public synchronized WebSocketClient clientFor(int n) {
        if (!spread) {
            if (plain == null) {
                plain = Clients.webSocketClient(vertx, tls);
            }
            return plain;
        }
        return clients.computeIfAbsent(address(n / PER_ADDRESS), a -> Clients.webSocketClient(vertx, a, tls));
    }

    /** 127.0.0.1 for group 0, then on, never an address ending in .0 or .255. */
    static String address(int group) {
        return "127." + (group / (254 * 256)) % 256 + "." + (group / 254) % 256 + "." + (group % 254 + 1);
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** Whether this system lets a socket bind 127.0.0.2; asked once. */
    public static boolean spreadsLoopback() {
        Boolean known = loopbackSpreads;
        if (known == null) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.2", 0));
                known = true;
            } catch (IOException e) {
                known = false;
            }
            loopbackSpreads = known;
        }
        return known;
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(WebSocketClient::close);
        clients.clear();
        if (plain != null) {
            plain.close();
            plain = null;
        }
    }
}
