package io.worldmesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.protocol.auth.LinkAuth;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.LinkDecoded;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A link of the benchmark's own to one node, as a gateway opens it ({@code /link?gateway=ID}), carrying nothing but
 * echoes: the round trip to the node's simulation without the gateway in between. Sends and replies are timed on
 * the link's own context. It is ready once it has answered the node's challenge, as a gateway does.
 */
final class LinkProbe {

    private record Pending(long sentAtNanos, CompletableFuture<Long> rtt) {
    }

    private final Context context;
    private final WebSocket ws;
    /** Touched only on the context. */
    private final Map<Long, Pending> pending = new HashMap<>();

    private LinkProbe(Context context, WebSocket ws) {
        this.context = context;
        this.ws = ws;
        ws.binaryMessageHandler(bytes -> onFrame(bytes.getBytes()));
    }

    /** A link to node {@code nodeId} at {@code node}, as gateway {@code linkName}. */
    static CompletableFuture<LinkProbe> open(Vertx vertx, WebSocketClient client, URI node, String nodeId,
                                             String linkName, LinkAuth auth) {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<LinkProbe> result = new CompletableFuture<>();
        context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost(node.getHost())
                        .setPort(node.getPort()).setURI("/link?gateway=" + linkName))
                .onSuccess(ws -> ws.textMessageHandler(challenge -> auth.answer(challenge, linkName, nodeId)
                        .ifPresentOrElse(answer -> {
                            ws.writeTextMessage(answer);
                            result.complete(new LinkProbe(context, ws));
                        }, () -> result.completeExceptionally(new IllegalStateException("node " + nodeId
                                + " sent no link challenge but: " + challenge)))))
                .onFailure(result::completeExceptionally));
        return result;
    }

    /** Completes with the round trip in nanoseconds; never completes if the echo is lost. */
    CompletableFuture<Long> echo(long id) {
        CompletableFuture<Long> rtt = new CompletableFuture<>();
        context.runOnContext(v -> {
            pending.put(id, new Pending(System.nanoTime(), rtt));
            ws.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(new ToNode.Echo(id))));
        });
        return rtt;
    }

    private void onFrame(byte[] bytes) {
        long now = System.nanoTime();
        if (LinkCodec.decodeToGateway(bytes) instanceof LinkDecoded.Ok<ToGateway> ok
                && ok.frame() instanceof ToGateway.EchoReply reply) {
            Pending p = pending.remove(reply.id());
            if (p != null) {
                p.rtt().complete(now - p.sentAtNanos());
            }
        }
    }

    Future<Void> close() {
        return ws.close();
    }
}
