package io.worldmesh.node.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.worldmesh.node.GatewayLinks;
import io.worldmesh.node.NodeRuntime;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.protocol.auth.AuthRefusal;
import io.worldmesh.protocol.auth.AuthSettings;
import io.worldmesh.protocol.auth.AuthVerdict;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.LinkAuth;
import io.worldmesh.protocol.auth.RequestVerifier;
import io.worldmesh.protocol.client.ErrorCode;
import io.worldmesh.protocol.client.ServerMessages;
import io.worldmesh.protocol.handover.PeerDecoded;
import io.worldmesh.protocol.handover.PeerJson;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.RejectReason;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.LinkDecoded;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.tls.TlsFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A node's HTTP server: the handover API ({@code POST /handover/prepare|commit|abort|cleanup}), the gateway link
 * ({@code GET /link?gateway=ID}, a WebSocket of binary frames), {@code /metrics}, {@code /health}, {@code /audit},
 * and, only when enabled, the benchmark hooks ({@code /bench/...}, {@link BenchHooks}). It decodes,
 * bounds and hands over to the {@link NodeRuntime}; it decides nothing.
 *
 * <p>Authentication: every {@code /handover/*} and {@code /bench/*} request is verified ({@link RequestVerifier})
 * once its body is read and before anything reaches the simulation; a refusal is a 401 (503 at the replay cache's
 * bound) with a JSON reason, counted in {@link AuthCounters}. A gateway link is served only once it has answered
 * the node's challenge ({@link LinkChallenges}).
 *
 * <p>Bounds: a body over {@link PeerJson#MAX_BODY_BYTES} is refused with 413 before it is read whole (the rest is
 * read and dropped, at most {@link #DRAIN_BYTES} for {@link #DRAIN_MILLIS}, then the connection closes); at most
 * {@link #MAX_PENDING} requests wait for the simulation at once (more get 503), and each waits at most
 * {@link #ANSWER_TIMEOUT_MS}, give or take one {@link #SWEEP_MILLIS} sweep (then 503; the caller resolves through
 * the directory). A link frame that does not decode is counted and dropped; an input the full mailbox cannot take
 * is refused to its client with {@code overloaded}. A gateway link queues at most {@link #LINK_WRITE_QUEUE_BYTES};
 * past it, snapshots for that gateway are dropped (events and protocol frames are still written). The clock window
 * and the replay cache's bound are in {@link AuthSettings}; at most {@link LinkChallenges#MAX_UNANSWERED} links wait
 * for their answer at once.
 *
 * <p>TLS: with a certificate ({@link TlsFiles}) the server is TLS only (the HMAC checks above stay as they are, on
 * top); a plain request fails its handshake and is closed, and a handshake not done in
 * {@link TlsFiles#HANDSHAKE_TIMEOUT} is dropped.
 */
public final class NodeHttpServer implements GatewayLinks, NodeRuntime.PeerReplies, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeHttpServer.class);
    static final int MAX_PENDING = 4096;
    static final long ANSWER_TIMEOUT_MS = 10_000;
    /** How often waiting requests are checked against their deadline: a request waits at most this much longer. */
    static final long SWEEP_MILLIS = 500;
    private static final int MAX_LINK_FRAME = LinkCodec.MAX_PAYLOAD + 4096;
    static final int LINK_WRITE_QUEUE_BYTES = 32 << 20;

    private final Vertx vertx;
    /** How much of a refused body is read and dropped before the connection is closed, and for how long. */
    static final long DRAIN_BYTES = 1 << 20;
    static final long DRAIN_MILLIS = 2_000;
    private volatile NodeRuntime runtime;
    private final String nodeId;
    private final PrometheusMeterRegistry registry;
    private final String host;
    private final int port;
    private final TlsFiles tls;
    /** A peer request the simulation has not answered yet, and when it stops waiting (monotonic nanoseconds). */
    private record Waiting(HttpServerResponse response, long deadlineNanos) {
    }

    private final Map<Long, Waiting> pending = new ConcurrentHashMap<>();
    /** The sweep that answers 503 to requests past their deadline: one timer, not one per request. */
    private long sweepTimer = -1;
    private final Map<String, GatewayLink> links = new ConcurrentHashMap<>();
    /** Links that have passed their handshake and wait for the simulation thread to take them up. */
    private final Map<String, GatewayLink> arriving = new ConcurrentHashMap<>();
    /** Links with frames gathered since the last {@link #flush()}; simulation thread only. */
    private final Set<GatewayLink> gathering = new LinkedHashSet<>();
    private final AtomicLong nextRequest = new AtomicLong(1);
    private final Counter refused;
    private final Counter badFrames;
    private final Counter framesDropped;
    private final RequestVerifier requests;
    private final LinkChallenges challenges;
    private final AuthCounters authRefused;
    private HttpServer server;
    /** The benchmark hooks, or null when the node was not started with them. */
    private volatile BenchHooks bench;

    /**
     * Listens before the node's world exists (its address goes into the directory first); serves once given it.
     * {@code keys}: the cluster's, which peers sign their requests and gateways answer link challenges with;
     * {@code tls}: with a certificate, served over TLS only.
     */
    public NodeHttpServer(Vertx vertx, String nodeId, PrometheusMeterRegistry registry, String host, int port,
                          ClusterKeys keys, AuthSettings auth, TlsFiles tls) {
        this.vertx = vertx;
        this.tls = tls;
        this.nodeId = nodeId;
        this.registry = registry;
        this.host = host;
        this.port = port;
        String node = nodeId;
        this.refused = Counter.builder("worldmesh.handover.requests.refused")
                .description("Handover requests refused before the protocol saw them (4xx/5xx from the transport)")
                .tag("node", node).register(registry);
        this.badFrames = Counter.builder("worldmesh.link.bad.frames").description("Link frames that did not decode")
                .tag("node", node).register(registry);
        this.framesDropped = Counter.builder("worldmesh.link.frames.dropped")
                .description("Frames for a gateway that is not connected").tag("node", node).register(registry);
        this.authRefused = new AuthCounters(registry, nodeId);
        this.requests = new RequestVerifier(keys, nodeId, auth);
        this.challenges = new LinkChallenges(vertx, nodeId, new LinkAuth(keys), auth.linkAnswerTimeout().toMillis(),
                authRefused);
    }

    /** From now on, requests go to {@code r}; before, they are answered 503. */
    public void serve(NodeRuntime r) {
        serve(r, false);
    }

    /**
     * As {@link #serve(NodeRuntime)}; with {@code benchHooks}, also the benchmark-only {@code /bench/...}
     * endpoints ({@link BenchHooks}), which are otherwise refused with 403.
     */
    public void serve(NodeRuntime r, boolean benchHooks) {
        r.onPeerReplies(this);
        if (benchHooks) {
            this.bench = new BenchHooks(vertx, r);
        }
        this.runtime = r;
    }

    /** Starts listening; completes with the bound port. */
    public Future<Integer> start() {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setMaxWebSocketFrameSize(MAX_LINK_FRAME).setMaxWebSocketMessageSize(MAX_LINK_FRAME)
                .setPerFrameWebSocketCompressionSupported(false).setPerMessageWebSocketCompressionSupported(false);
        tls.serverOptions(options);
        server = vertx.createHttpServer(options).requestHandler(this::onRequest);
        sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, t -> answerLate(System.nanoTime()));
        return server.listen().map(HttpServer::actualPort);
    }

    private void onRequest(HttpServerRequest req) {
        String path = req.path();
        if (runtime == null && !path.equals("/metrics")) {
            refuse(req.response(), 503, "starting", "node " + nodeId + " is starting");
            return;
        }
        if (path.startsWith("/handover/")) {
            onHandover(req, path.substring("/handover/".length()));
            return;
        }
        if (path.startsWith("/bench/")) {
            readSigned(req, body -> {
                if (bench == null) {
                    BenchHooks.refuseOff(req);
                } else {
                    bench.onRequest(req);
                }
            });
            return;
        }
        switch (path) {
            case "/link" -> onLink(req);
            case "/audit" -> runtime.inspect(NodeAudit::json).whenComplete((json, e) -> vertx.runOnContext(v ->
                    req.response().putHeader("content-type", "application/json").setStatusCode(e == null ? 200 : 503)
                            .end(e == null ? json : "{\"status\":\"down\"}")));
            case "/metrics" -> req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            case "/health" -> runtime.inspect(core -> "{\"status\":\"up\",\"node\":\"" + core.nodeId()
                    + "\",\"lifecycle\":\"" + core.lifecycle() + "\",\"players\":" + core.world().playerCount()
                    + ",\"handovers_in_flight\":" + core.handoversInFlight() + "}")
                    .whenComplete((json, e) -> vertx.runOnContext(v -> req.response()
                            .putHeader("content-type", "application/json")
                            .setStatusCode(e == null ? 200 : 503).end(e == null ? json : "{\"status\":\"down\"}")));
            default -> req.response().setStatusCode(404).end("not found\n");
        }
    }

    private void onHandover(HttpServerRequest req, String kind) {
        if (req.method() != io.vertx.core.http.HttpMethod.POST) {
            refuse(req.response(), 405, "method", "handover messages are POSTed");
            return;
        }
        readSigned(req, body -> onBody(req.response(), kind, body, req.getHeader("traceparent")));
    }

    /**
     * Reads the body, bounded as a handover message's, and hands it to {@code then} only if the request is signed for
     * this node; else refuses it (401, or 503 at the replay cache's bound), counted. HMAC and SHA-256 of at most the
     * body limit take microseconds, so this runs on the event loop.
     */
    private void readSigned(HttpServerRequest req, Consumer<byte[]> then) {
        String length = req.getHeader("content-length");
        if (length != null && (!length.matches("[0-9]{1,9}") || Long.parseLong(length) > PeerJson.MAX_BODY_BYTES)) {
            refuseTooLarge(req);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        req.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > PeerJson.MAX_BODY_BYTES) {
                over[0] = true;
                refuseTooLarge(req);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (over[0]) {
                return;
            }
            byte[] bytes = body.getBytes();
            switch (requests.verify(req.method().name(), req.uri(), req::getHeader, bytes, System.currentTimeMillis())) {
                case AuthVerdict.Verified ok -> then.accept(bytes);
                case AuthVerdict.Refused r -> {
                    authRefused.refused(AuthCounters.On.REQUEST, r.refusal());
                    log.debug("node {} refused {} {}: {} ({})", nodeId, req.method(), req.uri(), r.refusal().code(),
                            r.reason());
                    respond(req.response().putHeader("www-authenticate", "Worldmesh-HMAC-SHA256"),
                            new PeerReply.Refused(r.refusal().httpStatus(), r.refusal().code(), r.reason()));
                }
            }
        });
    }

    private void onBody(HttpServerResponse response, String kind, byte[] body, String traceparent) {
        switch (PeerJson.decode(kind, body)) {
            case PeerDecoded.Invalid invalid -> refuse(response, invalid.status(), invalid.code(), invalid.reason());
            case PeerDecoded.BadChecksum bad -> {
                refused.increment(); // rule 9: a state that does not match its checksum is REJECTED, not staged
                respond(response, new PeerReply.Rejected(bad.token(), RejectReason.CHECKSUM_MISMATCH, bad.detail()));
            }
            case PeerDecoded.Ok ok -> {
                if (pending.size() >= MAX_PENDING) {
                    refuse(response, 503, "busy", "too many handover requests waiting");
                    return;
                }
                long id = nextRequest.getAndIncrement();
                pending.put(id, new Waiting(response,
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS)));
                runtime.tracing().peerRequest(id, ok.request(), traceparent);
                if (!runtime.offer(new NodeInput.FromPeer(id, ok.request()))) {
                    pending.remove(id);
                    runtime.tracing().peerRequestRefused(id);
                    refuse(response, 503, "busy", "the simulation's mailbox is full");
                    return;
                }
            }
        }
    }

    @Override
    public void reply(long requestId, PeerReply reply) {
        Waiting waiting = pending.remove(requestId);
        if (waiting != null) {
            respond(waiting.response(), reply);
        }
    }

    private static Future<Void> respond(HttpServerResponse response, PeerReply reply) {
        try {
            return response.setStatusCode(PeerJson.status(reply)).putHeader("content-type", "application/json")
                    .end(Buffer.buffer(PeerJson.encode(reply)));
        } catch (IllegalStateException closed) {
            return Future.succeededFuture(); // the caller went away; it will resolve through the directory
        }
    }

    private Future<Void> refuse(HttpServerResponse response, int status, String code, String reason) {
        refused.increment();
        return respond(response, new PeerReply.Refused(status, code, reason));
    }

    /**
     * 413 at once, and then the connection closed. Closing while the client still writes its body would hand it a
     * broken pipe instead of the answer, so the rest of the body is read and dropped first, but only up to
     * {@link #DRAIN_BYTES} and for {@link #DRAIN_MILLIS}: past either bound, or at the body's end, it closes.
     */
    private void refuseTooLarge(HttpServerRequest req) {
        long[] drained = {0};
        long timer = vertx.setTimer(DRAIN_MILLIS, t -> req.connection().close());
        req.response().putHeader("connection", "close");
        Future<Void> answered = refuse(req.response(), 413, "too_large",
                "the body is over " + PeerJson.MAX_BODY_BYTES + " bytes");
        Runnable close = () -> answered.onComplete(done -> {
            vertx.cancelTimer(timer);
            req.connection().close();
        });
        req.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > DRAIN_BYTES) {
                close.run();
            }
        });
        req.endHandler(v -> close.run());
    }

    // ---- gateway links

    private void onLink(HttpServerRequest req) {
        String gateway = req.getParam("gateway");
        if (gateway == null || !gateway.matches("[A-Za-z0-9_.-]{1,64}") || !req.canUpgradeToWebSocket()) {
            req.response().setStatusCode(400).end("a gateway link is a WebSocket at /link?gateway=ID\n");
            return;
        }
        if (!challenges.reserve()) {
            authRefused.refused(AuthCounters.On.LINK, AuthRefusal.BUSY);
            respond(req.response(), new PeerReply.Refused(503, AuthRefusal.BUSY.code(),
                    LinkChallenges.MAX_UNANSWERED + " links wait for their answer already"));
            return;
        }
        boolean batches = "1".equals(req.getParam("batch"));
        long incarnation = incarnationOf(req.getParam("incarnation"));
        req.toWebSocket().onComplete(upgraded -> {
            if (upgraded.failed()) {
                challenges.release();
                return;
            }
            ServerWebSocket ws = upgraded.result();
            challenges.challenge(ws, gateway, () -> accept(gateway, incarnation, ws, batches));
        });
    }

    /**
     * A link that has answered its challenge: frames from the gateway are taken from now on, and frames to it go on
     * it once the simulation thread has taken the news ({@link #activate}), so that nothing the node sends after the
     * link's return can overtake what it says first about it (its players' cells again).
     */
    private void accept(String gateway, long incarnation, ServerWebSocket ws, boolean batches) {
        GatewayLink link = new GatewayLink(ws, batches);
        GatewayLink waiting = arriving.put(gateway, link);
        if (waiting != null) {
            waiting.ws().close((short) 4000, "replaced by a newer link from the same gateway");
        }
        log.info("gateway {} linked to node {}{}", gateway, nodeId, batches ? " (batched frames)" : "");
        ws.binaryMessageHandler(bytes -> onLinkFrame(gateway, ws, bytes.getBytes()));
        ws.textMessageHandler(text -> badFrames.increment());
        ws.closeHandler(v -> {
            if (links.remove(gateway, link)) {
                runtime.gatewayUnlinked(gateway);
            } else {
                arriving.remove(gateway, link);
            }
        });
        runtime.gatewayLinked(gateway, incarnation);
    }

    /** On the simulation thread, as it takes a link's news: frames for the gateway go on its newest link from now on. */
    @Override
    public void activate(String gatewayId) {
        GatewayLink next = arriving.remove(gatewayId);
        if (next == null || next.isClosed()) {
            return;
        }
        GatewayLink old = links.put(gatewayId, next);
        if (old != null && old != next) {
            old.ws().close((short) 4000, "replaced by a newer link from the same gateway");
        }
    }

    /** The gateway's start as its link names it; 0 (restarts not told apart) when absent or not a number. */
    private static long incarnationOf(String param) {
        if (param == null || !param.matches("[0-9]{1,18}")) {
            return 0;
        }
        return Long.parseLong(param);
    }

    private void onLinkFrame(String gateway, ServerWebSocket ws, byte[] bytes) {
        switch (LinkCodec.decodeToNode(bytes)) {
            case LinkDecoded.Invalid<ToNode> invalid -> {
                badFrames.increment();
                log.debug("bad frame from gateway {}: {}", gateway, invalid.reason());
            }
            case LinkDecoded.Ok<ToNode> ok -> {
                if (!runtime.offer(new NodeInput.FromGateway(gateway, ok.frame()))
                        && ok.frame() instanceof ToNode.Input input) {
                    byte[] json = ServerMessages.error(ErrorCode.OVERLOADED,
                            "the simulation is overloaded; input dropped").getBytes(StandardCharsets.UTF_8);
                    ws.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(
                            new ToGateway.ToClient(input.playerId(), json, false, -1, -1))));
                }
            }
        }
    }

    /**
     * Gathers a frame for the gateway's link on the simulation thread ({@link GatewayLink}; written at
     * {@link #flush()}). The bytes count as queued until Netty has handed them to the socket: one link carries
     * every snapshot for the gateway's players, a tick's worth can be megabytes, so the bound is a few ticks'
     * worth; past it, snapshots are dropped (the next tick's supersedes them) while events and protocol frames are
     * still written.
     */
    @Override
    public void send(String gatewayId, ToGateway frame) {
        GatewayLink link = links.get(gatewayId);
        if (link == null || link.isClosed()) {
            framesDropped.increment();
            return;
        }
        boolean droppable = frame instanceof ToGateway.ToClient c && c.droppable();
        if (droppable && link.backlog() > LINK_WRITE_QUEUE_BYTES) {
            framesDropped.increment();
            return;
        }
        framesDropped.increment(link.add(LinkCodec.encode(frame)));
        if (!link.idle()) {
            gathering.add(link);
        }
    }

    /** Writes every link's gathered frames; the runtime calls it after each input's effects. */
    @Override
    public void flush() {
        if (gathering.isEmpty()) {
            return;
        }
        for (GatewayLink link : gathering) {
            framesDropped.increment(link.flush());
        }
        gathering.clear();
    }

    /** Answers 503 to every request that has waited past its deadline; the caller resolves through the directory. */
    private void answerLate(long now) {
        pending.forEach((id, w) -> {
            if (now - w.deadlineNanos() >= 0 && pending.remove(id, w)) {
                refuse(w.response(), 503, "no_answer", "the simulation did not answer in time");
            }
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(sweepTimer);
        if (server != null) {
            server.close().await();
        }
    }
}
