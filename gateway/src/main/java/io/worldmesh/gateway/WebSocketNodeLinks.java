package io.worldmesh.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.LinkAuth;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.LinkDecoded;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.tls.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket per node at {@code /link?gateway=ID&incarnation=N&batch=1}, binary frames in {@link LinkCodec}'s framing (the
 * node may batch the frames one input gave this gateway into one message), reconnected
 * with backoff (100 ms doubling to 2 s) whenever it drops. While a link is down, frames for that node are dropped
 * and counted; the handover protocol's resends and the gateway's kept inputs cover what matters.
 *
 * <p>{@code incarnation} is this start of the gateway, drawn at random: a node that sees a new one knows the gateway
 * started again and that the connections it held for the old start are gone (connection numbers start again too).
 *
 * <p>A link is up once the gateway has answered the node's challenge ({@link LinkAuth}), its first message; before
 * that nothing is sent on it and nothing taken from it. A node that sends no challenge within
 * {@link #CHALLENGE_TIMEOUT_MS}, or something else, is hung up on and dialled again. A link that is up is pinged
 * every {@link #HEARTBEAT_MS}; silent for {@link #SILENCE_MS}, it is given up and dialled again.
 *
 * <p>A node whose base URL is {@code https} is dialled over TLS ({@code wss}), trusting the {@link TlsFiles}' bundle
 * (the JVM's default trust store without one) and checking that its certificate names the URL's host; the link
 * challenge is answered on top, as over plain WebSockets. A dial that fails is logged once per reason until the link
 * is up ({@link #whyDown}), so that an untrusted certificate does not go unsaid.
 */
public final class WebSocketNodeLinks implements NodeLinks {

    private static final Logger log = LoggerFactory.getLogger(WebSocketNodeLinks.class);
    private static final int MAX_FRAME = LinkCodec.MAX_PAYLOAD + 4096;
    static final long CHALLENGE_TIMEOUT_MS = 10_000;
    /** A link up pings its node this often... */
    static final long HEARTBEAT_MS = 1_000;
    /**
     * ...and one that has heard nothing (no pong, no frame) for this long is hung up on and dialled again: a half-open
     * link (the node's machine gone without a FIN or RST, a pulled cable) would otherwise stay up for ever.
     */
    static final long SILENCE_MS = 5_000;

    private final Vertx vertx;
    private final String gatewayId;
    private final WebSocketClient client;
    /** Each node's base URL, as last heard: a node started again after a crash may listen elsewhere. */
    private final Map<String, URI> endpoints;
    private final Map<String, WebSocket> open = new ConcurrentHashMap<>();
    /** Why each node's last dial failed, until its link is up; on event loops, read from any thread. */
    private final Map<String, String> dialFailures = new ConcurrentHashMap<>();
    private final Counter dropped;
    private final Counter badFrames;
    private final Counter silentLinks;
    private final LinkAuth auth;
    private final long incarnation = ThreadLocalRandom.current().nextLong(1, 1_000_000_000_000_000_000L);
    private volatile Receiver receiver = (node, frame) -> { };
    private volatile boolean closed;

    /**
     * {@code endpoints}: each node's base URL, e.g. {@code http://127.0.0.1:7101}; {@code keys}: the cluster's, which
     * the nodes' challenges are answered with; {@code tls}: what is trusted dialling an {@code https} node.
     */
    public WebSocketNodeLinks(Vertx vertx, String gatewayId, Map<String, URI> endpoints, MeterRegistry registry,
                              ClusterKeys keys, TlsFiles tls) {
        this.vertx = vertx;
        this.auth = new LinkAuth(keys);
        this.dropped = Counter.builder("worldmesh.gateway.link.dropped")
                .description("Frames for a node whose link was down, dropped").register(registry);
        this.badFrames = Counter.builder("worldmesh.gateway.link.bad.frames")
                .description("Frames from a node that did not decode").register(registry);
        this.silentLinks = Counter.builder("worldmesh.gateway.link.silent")
                .description("Links to a node given up after hearing nothing for a while (half-open)")
                .register(registry);
        this.gatewayId = gatewayId;
        this.endpoints = new ConcurrentHashMap<>(endpoints);
        this.client = vertx.createWebSocketClient(tls.clientOptions(new WebSocketClientOptions()
                .setMaxFrameSize(MAX_FRAME).setMaxMessageSize(MAX_FRAME).setTcpNoDelay(true)));
    }

    @Override
    public void connect(Receiver r) {
        this.receiver = r;
        endpoints.keySet().forEach(node -> dial(node, 100));
    }

    /**
     * The nodes' base URLs as the directory has them now: the next dial of a node whose URL changed (a node that
     * started again, on another port or host) goes to the new one. Nodes not linked from the start are left alone.
     */
    public void updateEndpoints(Map<String, URI> current) {
        current.forEach((node, url) -> endpoints.replace(node, url));
    }

    /**
     * Links to each of {@code nodes} (e.g. the cell owners of the newest assignment), dialling those this gateway has
     * no link to yet (a node that took cells over after this gateway started), and follows their URLs.
     */
    public void linkTo(Map<String, URI> nodes) {
        nodes.forEach((node, url) -> {
            if (endpoints.putIfAbsent(node, url) == null) {
                log.info("gateway {} links to node {} at {}, which owns cells now", gatewayId, node, url);
                dial(node, 100);
            } else {
                endpoints.replace(node, url);
            }
        });
    }

    /** This start of the gateway, as its links name it. */
    public long incarnation() {
        return incarnation;
    }

    @Override
    public boolean isUp(String node) {
        return link(node) != null;
    }

    /** The node's link if it is up, else null. */
    private WebSocket link(String node) {
        WebSocket ws = open.get(node);
        return ws == null || ws.isClosed() ? null : ws;
    }

    /** True once every node's link is up. */
    public boolean allOpen() {
        return open.keySet().containsAll(endpoints.keySet());
    }

    private void dial(String node, long backoffMillis) {
        if (closed) {
            return;
        }
        URI base = endpoints.get(node);
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setSsl(TlsFiles.isSecure(base))
                .setURI("/link?gateway=" + gatewayId + "&incarnation=" + incarnation
                        + "&batch=1"); // this gateway reads batched frames
        client.connect(options).onComplete(done -> {
            if (done.failed()) {
                dialFailed(node, base, done.cause());
                vertx.setTimer(backoffMillis, t -> dial(node, Math.min(2000, backoffMillis * 2)));
                return;
            }
            dialFailures.remove(node);
            WebSocket ws = done.result();
            boolean[] answered = {false}; // on the link's event loop only
            boolean[] givenUp = {false};
            long[] heardAt = {System.nanoTime()};
            long[] heartbeat = {-1};
            long timer = vertx.setTimer(CHALLENGE_TIMEOUT_MS, t -> {
                log.warn("node {} sent gateway {} no link challenge in {} ms; hanging up", node, gatewayId,
                        CHALLENGE_TIMEOUT_MS);
                ws.close();
            });
            ws.textMessageHandler(text -> {
                if (answered[0]) {
                    badFrames.increment();
                    return;
                }
                vertx.cancelTimer(timer);
                auth.answer(text, gatewayId, node).ifPresentOrElse(answer -> {
                    answered[0] = true;
                    ws.writeTextMessage(answer);
                    open.put(node, ws);
                    heardAt[0] = System.nanoTime();
                    heartbeat[0] = vertx.setPeriodic(HEARTBEAT_MS, t -> {
                        if (System.nanoTime() - heardAt[0] < SILENCE_MS * 1_000_000L) {
                            ping(ws);
                            return;
                        }
                        vertx.cancelTimer(heartbeat[0]);
                        givenUp[0] = true;
                        if (open.remove(node, ws)) {
                            receiver.linkDown(node);
                        }
                        silentLinks.increment();
                        log.warn("node {} has been silent on gateway {}'s link for {} ms; hanging up and dialling "
                                + "again", node, gatewayId, SILENCE_MS);
                        ws.close((short) 1001, "silent link"); // which a half-open link may never answer
                        redial(node);
                    });
                    log.debug("gateway {} linked to node {}", gatewayId, node);
                    receiver.linkUp(node);
                }, () -> {
                    badFrames.increment();
                    log.warn("node {} opened its link to gateway {} with something else than a challenge", node,
                            gatewayId);
                    ws.close((short) 1002, "expected the link challenge");
                });
            });
            ws.pongHandler(pong -> heardAt[0] = System.nanoTime());
            ws.binaryMessageHandler(bytes -> {
                heardAt[0] = System.nanoTime();
                if (answered[0]) {
                    onFrame(node, bytes.getBytes());
                } else {
                    badFrames.increment();
                }
            });
            ws.closeHandler(v -> {
                vertx.cancelTimer(timer);
                vertx.cancelTimer(heartbeat[0]);
                if (open.remove(node, ws)) {
                    receiver.linkDown(node);
                }
                if (!givenUp[0]) { // a link given up as silent is being dialled again already
                    log.warn("link from gateway {} to node {} closed ({} {}); reconnecting", gatewayId, node,
                            ws.closeStatusCode(), ws.closeReason());
                    redial(node);
                }
            });
        });
    }

    /**
     * Logged once per reason while the node stays unreachable (it is dialled again every 2 s): a TLS failure (an
     * untrusted certificate, one for another host) with what to check, anything else as a warning too.
     */
    private void dialFailed(String node, URI base, Throwable cause) {
        boolean tls = false;
        Throwable root = cause;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            tls |= t instanceof SSLException;
            root = t;
        }
        // Vert.x's own message ("Failed to create SSL connection") says less than its first cause's.
        String reason = (tls ? "TLS handshake failed: " : "") + cause.getMessage()
                + (root != cause ? ": " + root.getMessage() : "");
        if (!Objects.equals(dialFailures.put(node, reason), reason)) {
            log.warn("gateway {} cannot link to node {} at {}: {}{}; dialling again until it can", gatewayId, node,
                    base, reason, tls ? " (does the gateway's --tls-trust hold the node's certificate or its CA, "
                            + "and does the certificate name " + base.getHost() + "?)" : "");
        }
    }

    /** Why the last dial of {@code node} failed, while its link is not up since; empty once it is. */
    public Optional<String> whyDown(String node) {
        return Optional.ofNullable(dialFailures.get(node));
    }

    private void redial(String node) {
        if (!closed) {
            vertx.setTimer(100, t -> dial(node, 200));
        }
    }

    private static void ping(WebSocket ws) {
        try {
            ws.writePing(Buffer.buffer());
        } catch (IllegalStateException closedMeanwhile) {
            // its close handler dials again
        }
    }

    private void onFrame(String node, byte[] bytes) {
        LinkCodec.decodeAllToGateway(bytes, decoded -> {
            switch (decoded) {
                case LinkDecoded.Ok<ToGateway> ok -> receiver.deliver(node, ok.frame());
                case LinkDecoded.Invalid<ToGateway> bad -> {
                    badFrames.increment();
                    log.debug("bad frame from node {}: {}", node, bad.reason());
                }
            }
        });
    }

    @Override
    public boolean send(String node, ToNode frame) {
        WebSocket ws = link(node);
        if (ws == null) {
            dropped.increment();
            return false;
        }
        try {
            ws.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(frame)));
            return true;
        } catch (IllegalStateException closedMeanwhile) {
            dropped.increment();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        open.values().forEach(ws -> ws.close());
        client.close();
    }
}
