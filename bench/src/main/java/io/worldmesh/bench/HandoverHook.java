package io.worldmesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.worldmesh.protocol.auth.RequestSigner;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The benchmark's side of a node's {@code POST /bench/handover?player=ID} hook: starts a handover of a player on
 * the node that owns it and completes, once the node answers at the handover's end, with the source's report. The
 * requests are signed with the cluster's keys, as a node signs its own.
 */
final class HandoverHook implements AutoCloseable {

    /** Longer than the node's own wait for a report. */
    private static final long TIMEOUT_MS = 90_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Context context;
    private final Map<String, URI> nodes;
    private final RequestSigner signer;

    /** {@code nodes}: each node's base URL by id; {@code connections}: at least the handovers kept in flight. */
    HandoverHook(Vertx vertx, Map<String, URI> nodes, int connections, RequestSigner signer) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.context = vertx.getOrCreateContext();
        this.nodes = Map.copyOf(nodes);
        this.signer = signer;
    }

    /** Hands {@code playerId} over from {@code node}; never fails: a problem is in the sample. */
    CompletableFuture<HandoverSample> handOver(String node, String playerId) {
        URI base = nodes.get(node);
        long start = System.nanoTime();
        CompletableFuture<HandoverSample> result = new CompletableFuture<>();
        String path = "/bench/handover?player=" + playerId;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost())
                .setPort(base.getPort()).setURI(path).setIdleTimeout(TIMEOUT_MS);
        // On one context, the body asked for in the response's own callback: see HttpPeerClient.
        context.runOnContext(v -> client.request(options)
                .compose(req -> {
                    signer.sign("POST", path, node, new byte[0], System.currentTimeMillis()).forEach(req::putHeader);
                    return req.send().compose(resp -> resp.body().map(body -> {
                        long end = System.nanoTime();
                        return sample(node, playerId, start, end, resp.statusCode(), body.toString());
                    }));
                })
                .onComplete(done -> result.complete(done.succeeded() ? done.result()
                        : HandoverSample.failed(playerId, node, start, System.nanoTime(),
                        "request failed: " + done.cause().getMessage()))));
        return result;
    }

    private static HandoverSample sample(String node, String player, long start, long end, int status, String body) {
        JsonNode o;
        try {
            o = JSON.readTree(body);
        } catch (IOException e) {
            return HandoverSample.failed(player, node, start, end, "HTTP " + status + ", not JSON: " + body);
        }
        if (status != 200) {
            return HandoverSample.failed(player, node, start, end, "HTTP " + status + " " + o.path("code").asText()
                    + ": " + o.path("reason").asText());
        }
        String reason = o.path("reason").asText();
        String problem = o.path("outcome").asText().equals("COMMITTED") && reason.equals("committed") ? null
                : o.path("outcome").asText().toLowerCase(Locale.ROOT) + ": " + reason;
        return new HandoverSample(player, node, o.path("target").asText(), start, end, o.path("prepare_ns").asLong(),
                o.path("commit_ns").asLong(), o.path("route_ns").asLong(), o.path("total_ns").asLong(), problem);
    }

    @Override
    public void close() {
        client.close();
    }
}
