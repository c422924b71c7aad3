package io.worldmesh.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;

/**
 * The gateway's transport: a Vert.x HTTP server with the client WebSocket at {@code /ws}, the browser client at
 * {@code /}, {@code /metrics} and {@code /health}. Each connection's protocol is a {@link ClientSession}; where a
 * player's frames go is the {@link GatewayRoutes} switch (one per gateway, behind one lock); this class only moves
 * bytes between clients and the nodes' links and carries out the effects. Who may connect, and how many, is
 * {@link ConnectionLimits} and {@link OriginCheck}; every bound is in docs/protocol.md.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /**
     * A connection over which nothing has moved either way for this long is closed: an idle keep-alive, a request
     * that never finishes, a client that neither reads nor sends. Players get a snapshot every tick.
     */
    static final int IDLE_TIMEOUT_SECONDS = 60;
    /** How long a client has to answer the gateway's close frame before its TCP connection is dropped. */
    static final int CLOSING_SECONDS = 2;

    /** One open client connection; its session is touched only on its Vert.x context. */
    private record Connection(ServerWebSocket ws, ClientSession session, Context context, Outbox outbox) {
    }

    /** An open TCP connection: its lease of its address's sockets, and whether a request on it was answered. */
    private record TcpConnection(Leases.Lease lease, AtomicBoolean answered) {
    }

    /** How often a route's audit is tried when the directory does not answer, and the wait between tries. */
    static final int AUDIT_ATTEMPTS = 60;
    static final long AUDIT_RETRY_MILLIS = 1_000;
    /** How often the routes whose node has sent nothing meanwhile are audited ({@link GatewayRoutes#toAuditWhenSilent}). */
    static final long SILENT_AUDIT_MILLIS = 2_000;
    private final Vertx vertx;
    private final GatewaySettings settings;
    private final NodeLinks links;
    /** The owner of every cell, one entry per cell: a new player goes to the owner of a random one. */
    /** Each cell's owner, one entry per cell: a new player goes to a random cell's node. */
    private volatile List<String> cellOwners;
    private volatile long assignmentVersion;
    private long silentAudit = -1;
    private final Directory directory;
    private final GatewayRoutes routes;
    /** The last snapshot tick sent to each player: a client never sees a tick go backwards, whoever owns it. */
    private final Map<String, Long> lastTick = new ConcurrentHashMap<>();
    private final SplittableRandom spawnRandom = new SplittableRandom();
    private final PrometheusMeterRegistry registry;
    private final ResumeTokens tokens;
    private final ClientMessageDecoder decoder = new ClientMessageDecoder();
    private final StaticFiles files = new StaticFiles();
    private final ConnectionLimits limits;
    private final OriginCheck origins;
    private final Map<HttpConnection, TcpConnection> sockets = new ConcurrentHashMap<>();
    private final Map<Long, Connection> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Connection> byPlayer = new ConcurrentHashMap<>();
    /** An ATTACH a connection waits on, and the node it went to (null while its owner is looked up). */
    private record AttachSent(String node, ToNode.Attach attach) {
    }

    /**
     * The ATTACH each connection is waiting on: to send it again where the player is if a stale node answers, and to
     * refuse it if the link to its node goes down first (no answer can come back on that link).
     */
    private final Map<Long, AttachSent> attaching = new ConcurrentHashMap<>();
    private final AtomicLong nextConnection = new AtomicLong(1);
    private final GatewayMetrics metrics;
    private final ClientEchoes<Connection> echoes;
    private HttpServer server;

    public GatewayServer(Vertx vertx, GatewaySettings settings, NodeLinks links, CellAssignment assignment,
                         Directory directory, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.settings = settings;
        this.links = links;
        this.cellOwners = List.copyOf(assignment.owners().values());
        this.assignmentVersion = assignment.version();
        this.directory = directory;
        this.routes = new GatewayRoutes(settings.maxBufferedInputs());
        this.registry = registry;
        this.tokens = new ResumeTokens(settings.resumeSecret(), settings.clusterId());
        this.limits = new ConnectionLimits(settings.admission());
        this.origins = new OriginCheck(settings.admission().allowedOrigins(), settings.tls().serves());
        this.metrics = new GatewayMetrics(registry, byConnection::size, this::queuedBytes, this::bufferedInputs);
        this.echoes = new ClientEchoes<>(this::ownerOf, links::send,
                (c, json) -> write(c, Outbox.Kind.REPLY, json));
    }

    private Optional<String> ownerOf(String playerId) {
        synchronized (routes) {
            return routes.placement(playerId).map(GatewayRoutes.Placement::node);
        }
    }

    /** Starts listening; completes with the bound port. */
    public Future<Integer> start() {
        links.connect(new NodeLinks.Receiver() {
            @Override
            public void deliver(String node, ToGateway frame) {
                GatewayServer.this.deliver(node, frame);
            }

            @Override
            public void linkUp(String node) {
                List<GatewayRoutes.Routed> routed;
                synchronized (routes) {
                    carryOut(routes.onLinkUp(node), null);
                    routed = routes.toAuditOnLinkUp(node);
                }
                auditRoutes(routed);
            }

            @Override
            public void linkDown(String node) {
                synchronized (routes) {
                    routes.onLinkDown(node);
                }
                refuseAttachesTo(node);
            }
        });
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
                .setWebSocketClosingTimeout(CLOSING_SECONDS)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                // HTTP/1.1 is all a browser needs for the page and the WebSocket; h2c would add streams to bound.
                .setHttp2ClearTextEnabled(false)
                .setTcpNoDelay(true);
        // With a certificate, TLS only: a plain request fails the handshake and is closed, and a handshake is given
        // TlsFiles.HANDSHAKE_TIMEOUT. The connection handler (and so the per-address count) sees a connection once
        // its handshake is done.
        settings.tls().serverOptions(options);
        server = vertx.createHttpServer(options).connectionHandler(this::onSocket).requestHandler(this::onRequest);
        silentAudit = vertx.setPeriodic(SILENT_AUDIT_MILLIS, t -> {
            List<GatewayRoutes.Routed> silent;
            synchronized (routes) {
                silent = routes.toAuditWhenSilent();
            }
            // One read each, not retried: the next sweep asks again, so a directory down does not pile up retries.
            silent.forEach(r -> auditRoute(r.node(), r.playerId(), AUDIT_ATTEMPTS));
        });
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

    /** A new TCP connection, before any request: one address holds only so many, of whatever kind. */
    private void onSocket(HttpConnection conn) {
        Optional<Leases.Lease> lease = limits.onSocket(conn.remoteAddress());
        if (lease.isEmpty()) {
            metrics.rejected(GatewayMetrics.Rejection.ADDRESS_SOCKETS);
            conn.close();
            return;
        }
        sockets.put(conn, new TcpConnection(lease.get(), new AtomicBoolean()));
        conn.closeHandler(v -> releaseSocket(conn));
    }

    /** On the HTTP connection's close, or once it is upgraded (when its close handler never runs) the WebSocket's. */
    private void releaseSocket(HttpConnection conn) {
        TcpConnection socket = sockets.remove(conn);
        if (socket != null) {
            socket.lease().release();
        }
    }

    /** Remote addresses that hold a connection now: what the per-address counts keep. */
    public int addressesHeld() {
        return limits.addresses();
    }

    /** Files of the page kept in memory: only ones that exist, however many paths are asked for. */
    public int cachedFiles() {
        return files.cachedFiles();
    }

    private void onRequest(HttpServerRequest req) {
        HttpConnection conn = req.connection();
        if (!firstRequest(conn)) {
            conn.close(); // a pipelined one
            return;
        }
        boolean upgrade = req.path().equals("/ws") && req.canUpgradeToWebSocket();
        OriginCheck.Verdict origin = upgrade ? origins.check(req.getHeader("Origin"), req.getHeader("Host"))
                : new OriginCheck.Allowed();
        if (upgrade && origin instanceof OriginCheck.Allowed) {
            req.toWebSocket().onSuccess(ws -> onConnect(ws, conn))
                    .onFailure(e -> log.debug("WebSocket upgrade failed: {}", e.getMessage()));
            return;
        }
        HttpServerResponse response = req.response().putHeader(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        Future<Void> sent = switch (req.path()) {
            case "/ws" -> {
                if (origin instanceof OriginCheck.Refused r) {
                    metrics.rejected(GatewayMetrics.Rejection.ORIGIN);
                    yield response.setStatusCode(403).putHeader("content-type", "text/plain; charset=utf-8")
                            .end(r.reason() + "\n");
                }
                yield response.setStatusCode(400).end("WebSocket upgrade required at /ws\n");
            }
            case "/metrics" -> response.putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            case "/health" -> response.putHeader("content-type", "application/json")
                    .end("{\"status\":\"up\",\"connections\":" + byConnection.size() + "}");
            default -> files.get(req.path())
                    .map(f -> response.putHeader("content-type", f.contentType())
                            .putHeader("cache-control", "no-cache").end(f.content()))
                    .orElseGet(() -> response.setStatusCode(404).end("not found\n"));
        };
        sent.onComplete(done -> conn.close());
    }

    /**
     * Whether this is the first request on its connection. A plain HTTP request is the last: Vert.x reads on while
     * it answers pipelined requests, so a client that sent many without reading the answers would have them pile
     * up in memory as parsed requests. One connection, one answer, then it is closed.
     */
    private boolean firstRequest(HttpConnection conn) {
        TcpConnection socket = sockets.get(conn);
        return socket == null || socket.answered().compareAndSet(false, true);
    }

    private void onConnect(ServerWebSocket ws, HttpConnection conn) {
        switch (limits.onWebSocket(ws.remoteAddress())) {
            case ConnectionLimits.Admitted a -> open(ws, conn, a.leases());
            case ConnectionLimits.Refused r -> {
                metrics.refused(r.code());
                ws.closeHandler(v -> releaseSocket(conn));
                ws.writeTextMessage(ServerMessages.error(r.code(), r.message()));
                close(ws, r.closeCode(), r.closeReason());
            }
        }
    }

    private void open(ServerWebSocket ws, HttpConnection conn, List<Leases.Lease> leases) {
        long id = nextConnection.getAndIncrement();
        ClientSession session = new ClientSession(id, decoder, tokens, settings, metrics::refused);
        Connection c = new Connection(ws, session, vertx.getOrCreateContext(),
                new Outbox(Outbox.MAX_QUEUED_BYTES, Outbox.MAX_REPLIES_DROPPED));
        byConnection.put(id, c);
        MessageAssembler messages = new MessageAssembler(settings.maxFrameBytes());
        ReadBudget budget = ReadBudget.of(settings);
        ws.frameHandler(frame -> {
            pace(ws, budget, frame);
            if (frame.type() == WebSocketFrameType.PING) {
                onPinged(c);
            }
            onFrame(c, messages, frame);
        });
        ws.exceptionHandler(e -> {
            onBrokenFrame(ws, e);
            log.debug("connection {}: {}", id, e.getMessage());
        });
        long helloTimer = vertx.setTimer(settings.admission().helloTimeout().toMillis(), t -> {
            List<SessionEffect> effects = session.onHelloTimeout();
            if (!effects.isEmpty()) {
                metrics.rejected(GatewayMetrics.Rejection.HELLO_TIMEOUT);
            }
            apply(c, effects);
        });
        ws.closeHandler(v -> {
            vertx.cancelTimer(helloTimer);
            leases.forEach(Leases.Lease::release);
            releaseSocket(conn);
            byConnection.remove(id);
            attaching.remove(id);
            String player = session.playerId();
            if (player != null) {
                byPlayer.remove(player, c);
            }
            apply(c, session.onClosed());
        });
    }

    /** Vert.x has answered a ping frame; for a client that does not read, the pongs must not pile up. */
    private void onPinged(Connection c) {
        try {
            if (c.outbox().pinged(c.ws().writeQueueFull()) == Outbox.Verdict.CLOSE) {
                closeNotReading(c.ws());
            }
        } catch (IllegalStateException closedMeanwhile) {
            // its close handler cleans up
        }
    }

    /** Stops reading a client that is past its {@link ReadBudget} until it is back within. */
    private void pace(ServerWebSocket ws, ReadBudget budget, WebSocketFrame frame) {
        long waitNanos = budget.take(frame.binaryData().length(), System.nanoTime());
        if (waitNanos > 0) {
            ClientChannel.reading(ws, false);
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), t -> {
                budget.resumed();
                ClientChannel.reading(ws, true);
            });
        }
    }

    /** A frame from the client: whole messages go to its session; one that breaks a bound ends it. */
    private void onFrame(Connection c, MessageAssembler messages, WebSocketFrame frame) {
        switch (messages.add(frame)) {
            case MessageAssembler.Incomplete i -> { }
            case MessageAssembler.Text t -> apply(c, c.session().onText(t.text(), System.nanoTime()));
            case MessageAssembler.Binary b -> apply(c, c.session().onBinary());
            case MessageAssembler.TooBig big -> closeTooBig(c.ws());
            case MessageAssembler.NotUtf8 bad -> {
                metrics.rejected(GatewayMetrics.Rejection.NOT_UTF8);
                close(c.ws(), WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "text frame is not valid UTF-8");
            }
        }
    }

    /**
     * A frame that broke a rule ends the connection. Netty's decoder reports one over the frame limit, or with bits
     * or opcodes the protocol does not allow (an RSV1 "compressed" frame, now that no compression is negotiated),
     * with the close status to use. (A message over the limit in frames under it is {@link MessageAssembler}'s.)
     */
    private void onBrokenFrame(ServerWebSocket ws, Throwable e) {
        if (!(e instanceof CorruptedWebSocketFrameException corrupt)) {
            return; // the connection itself failed (a reset, say): its close handler cleans up
        }
        WebSocketCloseStatus status = corrupt.closeStatus();
        if (status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            closeTooBig(ws);
        } else {
            close(ws, status.code(), status.reasonText());
        }
    }

    private void closeTooBig(ServerWebSocket ws) {
        metrics.oversizedFrames.increment();
        close(ws, WebSocketCloseStatus.MESSAGE_TOO_BIG.code(),
                "message too big: the limit is " + settings.maxFrameBytes() + " bytes");
    }

    /**
     * Every close the gateway starts: the close frame, then {@value #CLOSING_SECONDS} s for the client's answer
     * before the TCP connection is dropped, whether or not the frame could be written (to a client that does not
     * read, it never is, and Vert.x's own closing timeout would never start).
     */
    private void close(ServerWebSocket ws, int code, String reason) {
        if (ws.isClosed()) {
            return;
        }
        ws.close((short) code, reason);
        vertx.setTimer(TimeUnit.SECONDS.toMillis(CLOSING_SECONDS), t -> ClientChannel.drop(ws));
    }

    /**
     * A client closed for not reading: the close frame if it still fits, and the TCP connection dropped at once.
     * Waiting for an answer it will not read would keep, for {@value #CLOSING_SECONDS} s, whatever it had queued, and
     * the pongs Vert.x still writes for the ping frames of the last read (hundreds of them, a flood of such clients
     * tens of MiB).
     */
    private void closeNotReading(ServerWebSocket ws) {
        metrics.notReading.increment();
        if (!ws.isClosed()) {
            ws.close((short) 1008, "not reading");
        }
        ClientChannel.drop(ws);
    }

    private void apply(Connection c, List<SessionEffect> effects) {
        for (SessionEffect effect : effects) {
            switch (effect) {
                case SessionEffect.Send send ->
                        write(c, send.droppable() ? Outbox.Kind.REPLY : Outbox.Kind.EVENT, send.json());
                case SessionEffect.Forward fwd -> forward(c, fwd.frame());
                case SessionEffect.Close close -> close(c.ws(), close.code(), close.reason());
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
                    carryOut(effects, c);
                }
            }
            case ToNode.Detach d -> {
                Optional<RouteEffect.Detach> detach;
                synchronized (routes) {
                    detach = routes.onDisconnected(d.playerId(), d.connectionId());
                }
                detach.ifPresent(x -> links.send(x.node(), new ToNode.Detach(x.playerId(), x.connectionId())));
                lastTick.remove(d.playerId());
            }
            case ToNode.Echo e -> echoes.toOwner(c, c.session().playerId(), e.id());
            default -> throw new IllegalStateException("a session does not send " + frame);
        }
    }

    /**
     * A new player goes to the owner of a random cell, which creates it there; a resumed one to its owner, as the
     * route switch knows it, or else as the directory does.
     */
    private void attach(Connection c, ToNode.Attach a) {
        attaching.put(a.connectionId(), new AttachSent(null, a));
        if (a.resumePlayerId() == null) {
            sendAttach(c, spawnNode(), a);
            return;
        }
        Optional<GatewayRoutes.Placement> known;
        synchronized (routes) {
            known = routes.placement(a.resumePlayerId());
        }
        if (known.isPresent()) {
            sendAttach(c, known.get().node(), a);
            return;
        }
        directory.owner(a.resumePlayerId()).whenComplete((owner, e) -> sendAttach(c,
                e == null ? owner.map(OwnerRecord::node).orElseGet(this::spawnNode) : spawnNode(), a));
    }

    /** An attach for a node whose link is down is refused at once, as the node would, rather than never answered. */
    private void sendAttach(Connection c, String node, ToNode.Attach a) {
        attaching.computeIfPresent(a.connectionId(), (id, sent) -> new AttachSent(node, a));
        if (!links.send(node, a)) {
            attaching.remove(a.connectionId());
            c.context().runOnContext(v -> apply(c, c.session().onRefused("node " + node
                    + " cannot be reached now; retry")));
        }
    }

    /**
     * The link to {@code node} went down: an ATTACH sent there and not answered never will be (a node that dies
     * between taking it and answering leaves its client waiting for good otherwise). Each is refused, and the client
     * tries again, as after any refusal.
     */
    private void refuseAttachesTo(String node) {
        attaching.forEach((id, sent) -> {
            if (node.equals(sent.node()) && attaching.remove(id, sent)) {
                Connection c = byConnection.get(id);
                if (c != null) {
                    c.context().runOnContext(v -> apply(c, c.session().onRefused("node " + node
                            + " went away before it answered; retry")));
                }
            }
        });
    }

    /** A newer cell assignment (a dead node's cells moved to another): new players follow it. */
    public void updateAssignment(CellAssignment next) {
        synchronized (spawnRandom) {
            if (next.version() > assignmentVersion) {
                assignmentVersion = next.version();
                cellOwners = List.copyOf(next.owners().values());
            }
        }
    }

    /**
     * The owner of a random cell, among the nodes whose link is up (a node that just died may still own cells until
     * its cells have moved); any owner when no link is up (the attach is then refused at once).
     */
    private String spawnNode() {
        synchronized (spawnRandom) {
            List<String> owners = cellOwners;
            String node = owners.get(spawnRandom.nextInt(owners.size()));
            if (links.isUp(node)) {
                return node;
            }
            List<String> up = owners.stream().filter(links::isUp).toList();
            return up.isEmpty() ? node : up.get(spawnRandom.nextInt(up.size()));
        }
    }

    /**
     * Carries out what the route switch decided. Called holding the routes' lock, so that frames to a node leave in
     * the order the switch decided them across threads: a replay after a switch or a link's return is never overtaken
     * by a newer input from a client's own thread (the node would drop the replayed ones as stale). Every write here
     * only queues on a socket.
     */
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
                case RouteEffect.Ack a -> links.send(a.node(), new ToNode.RouteAck(a.playerId(), a.epoch(),
                        a.connectionId()));
                case RouteEffect.Detach d -> links.send(d.node(), new ToNode.Detach(d.playerId(), d.connectionId()));
            }
        }
    }

    /** Whether an ATTACH for {@code connectionId} went to {@code node} and waits for its answer. */
    private boolean answersAttach(String node, long connectionId) {
        AttachSent sent = attaching.get(connectionId);
        return sent != null && node.equals(sent.node());
    }

    /** Frames from a node's link; called on an event loop, so this never blocks. */
    private void deliver(String node, ToGateway frame) {
        switch (frame) {
            case ToGateway.Attached attached -> {
                Connection c = byConnection.get(attached.connectionId());
                if (c == null || !answersAttach(node, attached.connectionId())) {
                    // The client left before its welcome, or this answers an ATTACH this gateway did not send that
                    // node (a node that answers late, across a restart of this gateway, for a connection number
                    // that is another client's now): let the player start its resume window.
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
                    AttachSent again = attaching.get(attached.connectionId());
                    if (again != null) {
                        sendAttach(c, newerOwner.get(), again.attach());
                    }
                    return;
                }
                attaching.remove(attached.connectionId());
                c.context().runOnContext(v -> apply(c, c.session().onAttached(attached)));
            }
            case ToGateway.Refused refused -> {
                if (!answersAttach(node, refused.connectionId())) {
                    return; // a late answer across a restart of this gateway: the connection is another's now
                }
                AttachSent sent = attaching.remove(refused.connectionId());
                if (sent != null && sent.attach().resumePlayerId() != null) {
                    synchronized (routes) {
                        routes.onResumeRefused(node, sent.attach().resumePlayerId());
                    }
                }
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
                    carryOut(effects, null);
                }
            }
            case ToGateway.Route route -> {
                List<RouteEffect> effects;
                synchronized (routes) {
                    effects = routes.onRoute(node, route.playerId(), route.epoch(), route.lastAppliedSeq());
                    carryOut(effects, null);
                }
                metrics.routeSwitches.increment();
            }
            case ToGateway.Gone gone -> playerGone(node, gone.playerId(), gone.epoch(), gone.connectionId(),
                    gone.reason());
            case ToGateway.EchoReply echo -> {
                if (!echoes.answered(echo.id())) {
                    linkEchoes.accept(node, echo.id());
                }
            }
        }
    }

    private void playerGone(String node, String playerId, long epoch, long connectionId, String reason) {
        java.util.OptionalLong closing;
        synchronized (routes) {
            closing = routes.onGone(node, playerId, epoch, connectionId);
        }
        Connection c = closing.isPresent() ? byConnection.get(closing.getAsLong()) : null;
        if (c != null) {
            lastTick.remove(playerId);
            byPlayer.remove(playerId, c);
            c.context().runOnContext(v -> apply(c, c.session().onGone(reason)));
        }
    }

    /**
     * A node's link is back, and the node may have started again without the players routed to it here: one that
     * left there (its resume window ran out while its GONE was lost with the node) would wait on a route to nobody.
     * The directory is asked about each (one read per player routed there, and per held player anywhere, once per
     * link's return: see {@link GatewayRoutes#toAuditOnLinkUp}); a player it no longer names anyone's owner of has
     * left the game, and its client is told so and joins anew. A read that fails
     * is made again a second later, while the player is still routed to that node, at most
     * {@link #AUDIT_ATTEMPTS} times (a directory down for longer leaves the route as it is).
     */
    private void auditRoutes(List<GatewayRoutes.Routed> routed) {
        for (GatewayRoutes.Routed r : routed) {
            auditRoute(r.node(), r.playerId(), 1);
        }
    }

    private void auditRoute(String node, String player, int attempt) {
        directory.owner(player).whenComplete((owner, e) -> {
            if (e == null && owner.isEmpty()) {
                playerGone(node, player, Long.MAX_VALUE, -1, "your player has left the game; connect again to"
                        + " join as a new player");
            } else if (e == null && !owner.get().node().equals(node)) {
                synchronized (routes) {
                    routes.onOwnerElsewhere(player, node);
                }
            } else if (e != null && attempt < AUDIT_ATTEMPTS) {
                vertx.setTimer(AUDIT_RETRY_MILLIS, t -> {
                    boolean still;
                    synchronized (routes) {
                        still = routes.isRoutedTo(player, node);
                    }
                    if (still) {
                        auditRoute(node, player, attempt + 1);
                    }
                });
            }
        });
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

    /** Where echo replies from nodes go that answer no client's echo: for the link benchmark. */
    private volatile ObjLongConsumer<String> linkEchoes = (node, id) -> { };

    public void onEcho(ObjLongConsumer<String> handler) {
        this.linkEchoes = handler;
    }

    /** Sends an echo to a node's core on its link (for the link benchmark); {@code id} must not be negative. */
    public boolean echo(String node, long id) {
        if (id < 0) {
            throw new IllegalArgumentException("negative echo ids are the clients': " + id);
        }
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
                case CLOSE -> c.context().runOnContext(v -> closeNotReading(ws));
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
        vertx.cancelTimer(silentAudit);
        if (server != null) {
            server.close().await();
        }
    }
}
