package io.worldmesh.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.node.NodeDurability;
import io.worldmesh.node.NodeServer;
import io.worldmesh.node.OneCellNode;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.LinkDecoded;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real node's gateway links: a gateway that asks for batches ({@code &batch=1}) gets each tick's snapshots for
 * its players in one message; one that does not gets one message per frame, as before batches existed.
 */
class GatewayLinkBatchingTest {

    private static final int PLAYERS = 5;

    private final Vertx vertx = Vertx.vertx();
    private final InMemoryDirectory directory = new InMemoryDirectory();
    /** Held: Vert.x closes a WebSocket client nothing refers to, and its connections with it. */
    private final WebSocketClient client = vertx.createWebSocketClient();
    private NodeServer node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        vertx.close().await();
    }

    private NodeServer start() {
        return OneCellNode.start(vertx, directory, NodeDurability.NONE);
    }

    /** Opens gateway {@code id}'s link, attaches {@link #PLAYERS} players on it and collects every message. */
    private ConcurrentLinkedQueue<byte[]> link(String id, String query) throws Exception {
        ConcurrentLinkedQueue<byte[]> messages = new ConcurrentLinkedQueue<>();
        WebSocket ws = ClusterPeer.of(directory).link(client, node, id, query, b -> messages.add(b.getBytes()));
        for (int i = 1; i <= PLAYERS; i++) {
            ws.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(new ToNode.Attach(i, id + "-" + i, null))));
        }
        return messages;
    }

    private static List<ToGateway> frames(byte[] message) {
        List<ToGateway> out = new ArrayList<>();
        LinkCodec.decodeAllToGateway(message, d -> {
            assertThat(d).isInstanceOf(LinkDecoded.Ok.class); // every frame the node writes decodes
            out.add(((LinkDecoded.Ok<ToGateway>) d).frame());
        });
        return out;
    }

    private static List<Long> snapshotTicks(List<ToGateway> frames) {
        return frames.stream().filter(f -> f instanceof ToGateway.ToClient c && c.droppable())
                .map(f -> ((ToGateway.ToClient) f).tick()).toList();
    }

    @Test
    void aGatewayThatAsksGetsATicksSnapshotsInOneMessageAndOneThatDoesNotGetOneFramePerMessage() throws Exception {
        node = start();
        ConcurrentLinkedQueue<byte[]> batched = link("g1", "&batch=1");
        ConcurrentLinkedQueue<byte[]> single = link("g2", "");

        // A tick gives each gateway its players' snapshots: for g1 one batch holding all of them, of one tick.
        await().atMost(Duration.ofSeconds(10)).until(() -> batched.stream()
                .anyMatch(m -> m[0] == LinkCodec.BATCH_VERSION && snapshotTicks(frames(m)).size() == PLAYERS));
        byte[] batch = batched.stream().filter(m -> m[0] == LinkCodec.BATCH_VERSION
                && snapshotTicks(frames(m)).size() == PLAYERS).findFirst().orElseThrow();
        assertThat(snapshotTicks(frames(batch)).stream().distinct()).hasSize(1);
        assertThat(frames(batch).stream().filter(f -> f instanceof ToGateway.ToClient c && c.droppable())
                .map(f -> ((ToGateway.ToClient) f).playerId()).distinct()).hasSize(PLAYERS);

        await().atMost(Duration.ofSeconds(10)).until(() -> single.stream()
                .filter(m -> !snapshotTicks(frames(m)).isEmpty()).count() >= 3L * PLAYERS);
        assertThat(single).allMatch(m -> m[0] == LinkCodec.VERSION || m[0] == LinkCodec.TRACED_VERSION);
        assertThat(single).allMatch(m -> frames(m).size() == 1);
        // Both gateways' players were attached and welcomed the same way.
        assertThat(single.stream().flatMap(m -> frames(m).stream()).filter(f -> f instanceof ToGateway.Attached))
                .hasSize(PLAYERS);
        assertThat(batched.stream().flatMap(m -> frames(m).stream()).filter(f -> f instanceof ToGateway.Attached))
                .hasSize(PLAYERS);
    }
}
