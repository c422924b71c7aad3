package io.worldmesh.node.http;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.worldmesh.node.PeerTransport;
import io.worldmesh.protocol.auth.RequestSigner;
import io.worldmesh.protocol.handover.PeerJson;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.tls.TlsFiles;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Handover requests to peers over HTTP/1.1 keep-alive (one Vert.x client, a pool of
 * {@link #MAX_CONNECTIONS_PER_PEER} per peer). A request that gets no answer within {@code timeoutMillis} of being
 * sent fails; the protocol then resolves through the directory, so a timeout here never decides anything. The
 * timeout is an idle timeout only, not a wait for a pooled connection, which Vert.x 5.0's pool races with
 * handing one over (eclipse-vertx/vert.x#6169); the pool's queue is bounded instead, and the handover's own timers
 * stand for a request that waits there.
 * <p>
 * Every request is made on one Vert.x context, and its response read there in the same callback chain. Made from
 * the simulation thread, with the body read in a later stage, a response could end before its body was asked for,
 * and Vert.x 5.0.7 then never completes the body (eclipse-vertx/vert.x#6038): about one PREPARE in 10,000 waited
 * out its whole timeout in {@code bench cross-node}. Every request is signed ({@link RequestSigner}) as it is sent. A peer whose
 * URL is {@code https} is called over TLS, trusting the {@link TlsFiles}' bundle (the JVM's default without one)
 * and checking that its certificate names the URL's host.
 */
public final class HttpPeerClient implements PeerTransport {

    /**
     * Connections kept per peer. A request holds its connection until the peer's simulation has answered, so
     * this bounds the requests in flight to one peer; past it they wait in the pool's queue (4096). 32 covers a
     * node's share of 100 handovers in flight (PREPARE/COMMIT out, CLEANUP in) between three nodes.
     */
    static final int MAX_CONNECTIONS_PER_PEER = 32;

    private final HttpClient client;
    /** Where every request is made and answered: see the class comment. */
    private final io.vertx.core.Context context;
    private final Function<String, Optional<String>> baseUrlOf;
    private final long timeoutMillis;
    private final RequestSigner signer;

    /**
     * {@code baseUrlOf} finds a node's base URL, e.g. {@code http://127.0.0.1:7101}, from the directory; {@code tls}:
     * what is trusted calling an {@code https} one.
     */
    public HttpPeerClient(Vertx vertx, Function<String, Optional<String>> baseUrlOf, long timeoutMillis,
                          RequestSigner signer, TlsFiles tls) {
        this.client = vertx.createHttpClient(tls.clientOptions(new HttpClientOptions().setKeepAlive(true)
                        .setTcpNoDelay(true).setMaxInitialLineLength(4096)),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_PEER).setMaxWaitQueueSize(4096));
        this.context = vertx.getOrCreateContext();
        this.baseUrlOf = baseUrlOf;
        this.timeoutMillis = timeoutMillis;
        this.signer = signer;
    }

    @Override
    public CompletionStage<PeerReply> call(String node, PeerRequest request) {
        Optional<String> base = baseUrlOf.apply(node);
        if (base.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no endpoint for node " + node));
        }
        URI uri = URI.create(base.get());
        String path = PeerJson.path(request);
        byte[] body = PeerJson.encode(request);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                .setPort(uri.getPort()).setSsl(TlsFiles.isSecure(uri)).setURI(path).setIdleTimeout(timeoutMillis)
                .putHeader("content-type", "application/json");
        // The handover's span, when the caller made one current: its traceparent header (none otherwise).
        W3CTraceContextPropagator.getInstance().inject(Context.current(), options, RequestOptions::putHeader);
        CompletableFuture<PeerReply> result = new CompletableFuture<>();
        context.runOnContext(v -> client.request(options)
                .compose(req -> {
                    // Signed once a connection is had, not before a wait in the pool: the timestamp is the sending's.
                    signer.sign("POST", path, node, body, System.currentTimeMillis()).forEach(req::putHeader);
                    return req.send(Buffer.buffer(body)).compose(resp -> resp.body()
                            .map(reply -> PeerJson.decodeReply(resp.statusCode(), reply.getBytes())));
                })
                .onComplete(done -> {
                    if (done.succeeded()) {
                        result.complete(done.result());
                    } else {
                        result.completeExceptionally(done.cause());
                    }
                }));
        return result;
    }

    @Override
    public void close() {
        client.close();
    }
}
