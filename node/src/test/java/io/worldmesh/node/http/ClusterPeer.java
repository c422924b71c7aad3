package io.worldmesh.node.http;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.Directory;
import io.worldmesh.node.NodeServer;
import io.worldmesh.protocol.auth.ClusterKeys;
import io.worldmesh.protocol.auth.LinkAuth;
import io.worldmesh.protocol.auth.RequestSigner;
import io.worldmesh.protocol.tls.TlsFiles;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.TimeUnit;

/** A test acting towards a real node as one of its cluster's nodes or gateways: it signs, and answers challenges. */
public final class ClusterPeer {

    private final ClusterKeys keys;

    public ClusterPeer(ClusterKeys keys) {
        this.keys = keys;
    }

    /** With the keys of the cluster whose settings {@code directory} holds. */
    public static ClusterPeer of(Directory directory) {
        ClusterSettings s = directory.clusterSettings().toCompletableFuture().join().orElseThrow();
        return new ClusterPeer(ClusterKeys.of(s.secret(), s.clusterId()));
    }

    /** A POST of {@code body} to {@code node}, signed by {@code signer} now. */
    public HttpRequest post(NodeServer node, String signer, String pathAndQuery, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUrl() + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        new RequestSigner(keys, signer).sign("POST", pathAndQuery, node.nodeId(), body, System.currentTimeMillis())
                .forEach(b::header);
        return b.build();
    }

    /**
     * Opens gateway {@code gateway}'s link to {@code node} ({@code query} after the gateway's id, e.g.
     * {@code &batch=1}) and answers its challenge; {@code frames} takes every binary message from then on.
     */
    public WebSocket link(WebSocketClient client, NodeServer node, String gateway, String query,
                          Handler<Buffer> frames) throws Exception {
        URI base = URI.create(node.baseUrl());
        LinkAuth auth = new LinkAuth(keys);
        Promise<WebSocket> answered = Promise.promise();
        client.connect(new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
                .setSsl(TlsFiles.isSecure(base)).setURI("/link?gateway=" + gateway + query)).onFailure(answered::fail).onSuccess(ws -> {
                    ws.binaryMessageHandler(frames);
                    ws.textMessageHandler(challenge -> {
                        ws.writeTextMessage(auth.answer(challenge, gateway, node.nodeId()).orElseThrow());
                        answered.tryComplete(ws);
                    });
                });
        return answered.future().await(10, TimeUnit.SECONDS);
    }
}
