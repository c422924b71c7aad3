package io.worldmesh.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.worldmesh.protocol.client.ClientMessageDecoder;
import io.worldmesh.protocol.client.ErrorCode;
import io.worldmesh.protocol.client.ServerMessages;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.Directory;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.handover.GatewayRoutes;
import io.worldmesh.handover.RouteEffect;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.token.ResumeTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's transport: a Vert.x HTTP server with the client WebSocket at {@code /ws}, the browser client at
 * {@code /}, {@code /metrics} and {@code /health}. Each connection's protocol is a {@link ClientSession}; where a
 * player's frames go is the {@link GatewayRoutes} switch (one per gateway, behind one lock); this class only moves
 * bytes between clients and the nodes' links and carries out the effects.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    /** One open client connection; its session is touched only on its Vert.x context. */
    private record Connection(ServerWebSocket ws, ClientSession session, Context context, Outbox outbox) {
    }

    private final Vertx vertx;
    private final GatewaySettings settings;
    private final NodeLinks links;
    private final CellAssignment assignment;
    private final Directory directory;
    private final GatewayRoutes routes;
    /** The last snapshot tick sent to each player: a client never sees a tick go backwards, whoever owns it. */
    private final Map<String, Long> lastTick = new ConcurrentHashMap<>();
    private final SplittableRandom spawnRandom = new SplittableRandom();
    private final PrometheusMeterRegistry registry;
    private final ResumeTokens tokens;
    private final ClientMessageDecoder decoder = new ClientMessageDecoder();
    private final StaticFiles files = new StaticFiles();
    private final Map<Long, Connection> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Connection> byPlayer = new ConcurrentHashMap<>();
    /** The ATTACH each connection is waiting on, to send it again where the player is if a stale node answers. */
    private final Map<Long, ToNode.Attach> attaching = new ConcurrentHashMap<>();
    private final AtomicLong nextConnection = new AtomicLong(1);
    private final GatewayMetrics metrics;
    private HttpServer server;

    public GatewayServer(Vertx vertx, GatewaySettings settings, NodeLinks links, CellAssignment assignment,
                         Directory directory, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.settings = settings;
        this.links = links;
        this.assignment = assignment;
        this.directory = directory;
        this.routes = new GatewayRoutes(settings.maxBufferedInputs());
        this.registry = registry;
        this.tokens = new ResumeTokens(settings.resumeSecret());
        this.metrics = new GatewayMetrics(registry, byConnection::size, this::queuedBytes, this::bufferedInputs);
    }

    /** Starts listening; completes with the bound port. */
    public Future<Integer> start() {
        links.connect(this::deliver);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(settings.host())
                .setPort(settings.port())
                .setMaxWebSocketFrameSize(settings.maxFrameBytes())
                .setMaxWebSocketMessageSize(settings.maxFrameBytes())
                // Off until inflation has a bound of its own: a small compressed frame could inflate to megabytes.
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false)
                // After the server's close frame, wait 2 s (not 10) for the client's: one that does not read never
                // answers, and what was queued for it is held until the TCP connection goes.
                .setWebSocketClosingTimeout(2)
                .setTcpNoDelay(true);
        server = vertx.createHttpServer(options).requestHandler(this::onRequest);
        return server.listen().map(HttpServer::actualPort);
    }

    public int connections() {
        return byConnection.size();
    }

    private int bufferedInputs() {
        synchronized (routes) {
            return routes.bufferedInputs();
        }
    }

    /** Bytes written to clients and not yet handed to their sockets, over all connections. */
    private long queuedBytes() {
        long sum = 0;
        for (Connection c : byConnection.values()) {
            sum += c.outbox().queuedBytes();
        }
        return sum;
    }

    private void onRequest(HttpServerRequest req) {
        switch (req.path()) {
            case "/ws" -> {
                if (!req.canUpgradeToWebSocket()) {
                    req.response().setStatusCode(400).end("WebSocket upgrade required at /ws\n");
                    return;
                }
                req.toWebSocket().onSuccess(this::onConnect)
                        .onFailure(e -> log.debug("WebSocket upgrade failed: {}", e.getMessage()));
            }
            case "/metrics" -> req.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            case "/health" -> req.response()
                    .putHeader("content-type", "application/json")
                    .end("{\"status\":\"up\",\"connections\":" + byConnection.size() + "}");
            default -> files.get(req.path()).ifPresentOrElse(
                    f -> req.response().putHeader("content-type", f.contentType())
                            .putHeader("cache-control", "no-cache").end(f.content()),
                    () -> req.response().setStatusCode(404).end("not found\n"));
        }
    }

    private void onConnect(ServerWebSocket ws) {
        long id = nextConnection.getAndIncrement();
        ClientSession session = new ClientSession(id, decoder, tokens, settings, metrics::refused);
        Connection c = new Connection(ws, session, vertx.getOrCreateContext(),
                new Outbox(Outbox.MAX_QUEUED_BYTES, Outbox.MAX_REPLIES_DROPPED));
        byConnection.put(id, c);
        ws.textMessageHandler(text -> apply(c, session.onText(text, System.nanoTime())));
        ws.binaryMessageHandler(bytes -> apply(c, session.onBinary()));
        ws.exceptionHandler(e -> {
            onBrokenFrame(ws, e);
            log.debug("connection {}: {}", id, e.getMessage());
        });
        ws.closeHandler(v -> {
            byConnection.remove(id);
            attaching.remove(id);
            String player = session.playerId();
            if (player != null) {
                byPlayer.remove(player, c);
            }
            apply(c, session.onClosed());
        });
    }

    /**
     * A frame that broke a rule ends the connection. Netty's decoder reports one over the frame limit, or with bits
     * or opcodes the protocol does not allow (an RSV1 "compressed" frame, now that no compression is negotiated),
     * with the close status to use. Vert.x 5's aggregation reports a message over the message limit as a bare
     * {@link IllegalStateException}, the only one it passes to a server WebSocket's exception handler; a test in
     * BadInputTest catches the day an upgrade changes that.
     */
    private void onBrokenFrame(ServerWebSocket ws, Throwable e) {
        WebSocketCloseStatus status;
        if (e instanceof CorruptedWebSocketFrameException corrupt) {
            status = corrupt.closeStatus();
        } else if (e.getClass() == IllegalStateException.class) {
            status = WebSocketCloseStatus.MESSAGE_TOO_BIG;
        } else {
            return; // the connection itself failed (a reset, say): its close handler cleans up
        }
        String reason = status.reasonText();
        if (status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            metrics.oversizedFrames.increment();
            reason = "message too big: the limit is " + settings.maxFrameBytes() + " bytes";
        }
        if (!ws.isClosed()) {
            ws.close((short) status.code(), reason);
        }
    }

    private void apply(Connection c, List<SessionEffect> effects) {
        for (SessionEffect effect : effects) {
            switch (effect) {
                case SessionEffect.Send send ->
                        write(c, send.droppable() ? Outbox.Kind.REPLY : Outbox.Kind.EVENT, send.json());
                case SessionEffect.Forward fwd -> forward(c, fwd.frame());
                case SessionEffect.Close close -> c.ws().close((short) close.code(), close.reason());
                case SessionEffect.Bind bind -> {
                    Connection old = byPlayer.put(bind.playerId(), c);
                    if (old != null && old != c) {
                        old.context().runOnContext(v -> apply(old, old.session().onSuperseded()));
                    }
                }
            }
        }
    }

    /** A frame the client's session wants sent to the simulation: to the node the route switch names. */
    private void forward(Connection c, ToNode frame) {
        switch (frame) {
            case ToNode.Attach a -> attach(c, a);
            case ToNode.Input i -> {
                List<RouteEffect> effects;
                synchronized (routes) {
                    effects = routes.onInput(i.playerId(), i.input());
                }
                carryOut(effects, c);
            }
            case ToNode.Detach d -> {
                Optional<RouteEffect.Detach> detach;
                synchronized (routes) {
                    detach = routes.onDisconnected(d.playerId(), d.connectionId());
                }
                detach.ifPresent(x -> links.send(x.node(), new ToNode.Detach(x.playerId(), x.connectionId())));
                lastTick.remove(d.playerId());
            }
            default -> throw new IllegalStateException("a session does not send " + frame);
        }
    }

    /**
     * A new player goes to the owner of a random cell, which creates it there; a resumed one to its owner, as the
     * route switch knows it, or else as the directory does.
     */
    private void attach(Connection c, ToNode.Attach a) {
        attaching.put(a.connectionId(), a);
        if (a.resumePlayerId() == null) {
            links.send(spawnNode(), a);
            return;
        }
        Optional<GatewayRoutes.Placement> known;
        synchronized (routes) {
            known = routes.placement(a.resumePlayerId());
        }
        if (known.isPresent()) {
            links.send(known.get().node(), a);
            return;
        }
        directory.owner(a.resumePlayerId()).whenComplete((owner, e) -> links.send(
                e == null ? owner.map(OwnerRecord::node).orElseGet(this::spawnNode) : spawnNode(), a));
    }

    private String spawnNode() {
        int cell;
        synchronized (spawnRandom) {
            cell = spawnRandom.nextInt(assignment.owners().size());
        }
        return assignment.owners().values().stream().skip(cell).findFirst().orElseThrow();
    }

    private void carryOut(List<RouteEffect> effects, Connection c) {
        for (RouteEffect e : effects) {
            switch (e) {
                case RouteEffect.Forward f -> links.send(f.node(), new ToNode.Input(f.playerId(), f.input()));
                case RouteEffect.Refuse r -> {
                    metrics.refused(ErrorCode.OVERLOADED);
                    Connection to = c != null ? c : byPlayer.get(r.playerId());
                    if (to != null) {
                        write(to, Outbox.Kind.REPLY, ServerMessages.error(ErrorCode.OVERLOADED, r.reason()));
                    }
                }
                case RouteEffect.Ack a -> links.send(a.node(), new ToNode.RouteAck(a.playerId(), a.epoch()));
                case RouteEffect.Detach d -> links.send(d.node(), new ToNode.Detach(d.playerId(), d.connectionId()));
            }
        }
    }

    /** Frames from a node's link; called on an event loop, so this never blocks. */
    private void deliver(String node, ToGateway frame) {
        switch (frame) {
            case ToGateway.Attached attached -> {
                Connection c = byConnection.get(attached.connectionId());
                if (c == null) {
                    // The client left before its welcome: let the player start its resume window.
                    links.send(node, new ToNode.Detach(attached.playerId(), attached.connectionId()));
                    return;
                }
                Optional<String> newerOwner;
                synchronized (routes) {
                    newerOwner = routes.bind(attached.playerId(), attached.connectionId(), node, attached.epoch(),
                            attached.lastAppliedSeq());
                }
                if (newerOwner.isPresent()) {
                    // A resume answered by a node that has since handed the player on: attach where it is now.
                    ToNode.Attach again = attaching.get(attached.connectionId());
                    if (again != null) {
                        links.send(newerOwner.get(), again);
                    }
                    return;
                }
                attaching.remove(attached.connectionId());
                c.context().runOnContext(v -> apply(c, c.session().onAttached(attached)));
            }
            case ToGateway.Refused refused -> {
                attaching.remove(refused.connectionId());
                Connection c = byConnection.get(refused.connectionId());
                if (c != null) {
                    c.context().runOnContext(v -> apply(c, c.session().onRefused(refused.reason())));
                }
            }
            case ToGateway.ToClient msg -> toClient(node, msg);
            case ToGateway.Hold hold -> {
                synchronized (routes) {
                    routes.onHold(node, hold.playerId(), hold.epoch());
                }
            }
            case ToGateway.Release release -> {
                List<RouteEffect> effects;
                synchronized (routes) {
                    effects = routes.onRelease(node, release.playerId(), release.epoch(), release.lastAppliedSeq());
                }
                carryOut(effects, null);
            }
            case ToGateway.Route route -> {
                List<RouteEffect> effects;
                synchronized (routes) {
                    effects = routes.onRoute(node, route.playerId(), route.epoch(), route.lastAppliedSeq());
                }
                metrics.routeSwitches.increment();
                carryOut(effects, null);
            }
            case ToGateway.EchoReply echo -> echoes.accept(node, echo.id());
        }
    }

    private void toClient(String node, ToGateway.ToClient msg) {
        synchronized (routes) {
            if (!routes.isRoutedTo(msg.playerId(), node)) {
                metrics.staleFrames.increment(); // from a node that no longer owns the player (rule 6)
                return;
            }
            if (msg.lastAppliedSeq() >= 0) {
                routes.onApplied(msg.playerId(), node, msg.lastAppliedSeq());
            }
        }
        if (msg.droppable()) {
            Long last = lastTick.get(msg.playerId());
            if (last != null && msg.tick() <= last) {
                metrics.staleFrames.increment();
                return;
            }
            lastTick.put(msg.playerId(), msg.tick());
        }
        Connection c = byPlayer.get(msg.playerId());
        if (c != null && admit(c, msg.droppable() ? Outbox.Kind.SNAPSHOT : Outbox.Kind.EVENT, msg.json().length)) {
            send(c, new String(msg.json(), StandardCharsets.UTF_8), msg.json().length);
        }
    }

    /** Where echo replies from nodes go: for the link benchmark. */
    private volatile java.util.function.ObjLongConsumer<String> echoes = (node, id) -> { };

    public void onEcho(java.util.function.ObjLongConsumer<String> handler) {
        this.echoes = handler;
    }

    /** Sends an echo to a node's core on its link (for the link benchmark). */
    public boolean echo(String node, long id) {
        return links.send(node, new ToNode.Echo(id));
    }

    private void write(Connection c, Outbox.Kind kind, String json) {
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (admit(c, kind, bytes)) {
            send(c, json, bytes);
        }
    }

    /**
     * Whether the client's {@link Outbox} lets a message through; carries out a drop or a close for not reading.
     * From any thread.
     */
    private boolean admit(Connection c, Outbox.Kind kind, int bytes) {
        ServerWebSocket ws = c.ws();
        try {
            if (ws.isClosed()) {
                return false;
            }
            switch (c.outbox().admit(kind, bytes, ws.writeQueueFull())) {
                case WRITE -> {
                    return true;
                }
                case DROP -> metrics.dropped(kind);
                case CLOSE -> {
                    metrics.notReading.increment();
                    c.context().runOnContext(v -> ws.close((short) 1008, "not reading"));
                }
            }
        } catch (IllegalStateException closedMeanwhile) {
            // The client went away since the check; its close handler detaches it.
        }
        return false;
    }

    /** Writes an admitted message; its bytes count as queued until Netty has handed them to the socket. */
    private void send(Connection c, String json, int bytes) {
        try {
            c.ws().writeTextMessage(json).onComplete(done -> c.outbox().written(bytes));
        } catch (IllegalStateException closedMeanwhile) {
            c.outbox().written(bytes);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
    }
}
