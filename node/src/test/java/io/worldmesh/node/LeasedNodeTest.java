package io.worldmesh.node;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.directory.LeaseOutcome;
import io.worldmesh.node.http.ClusterPeer;
import io.worldmesh.protocol.link.LinkCodec;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A real node with a lease: it holds it from its start, its players' state reaches the session store by checkpoints,
 * and a clean stop writes a last checkpoint and gives the lease up at once. A second process with the same node id
 * waits out the running one's lease and then refuses to start.
 */
class LeasedNodeTest {

    private static final NodeDurability DURABLE = new NodeDurability(Duration.ofSeconds(1), Duration.ofMillis(200));

    private final Vertx vertx = Vertx.vertx();
    private final InMemoryDirectory directory = new InMemoryDirectory();
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
        return start(DURABLE);
    }

    private NodeServer start(NodeDurability durability) {
        return OneCellNode.start(vertx, directory, durability);
    }

    private String join() throws Exception {
        WebSocket link = ClusterPeer.of(directory).link(client, node, "g1", "", frame -> { });
        link.writeBinaryMessage(Buffer.buffer(LinkCodec.encode(new ToNode.Attach(1, "ana", null))));
        return await().atMost(Duration.ofSeconds(10)).until(() -> node.inspect(c -> c.world().players())
                .get(5, TimeUnit.SECONDS), p -> !p.isEmpty()).getFirst().id();
    }

    @Test
    void aLeasedNodeCheckpointsItsPlayersAndReleasesItsLeaseOnAStop() throws Exception {
        node = start();
        assertThat(directory.leases().toCompletableFuture().join()).containsKey("n1");
        String player = join();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.inspect(c -> c.counters().sessionsCheckpointed())
                .get(5, TimeUnit.SECONDS) >= 3);
        assertThat(directory.leases().toCompletableFuture().join()).as("renewed past its first TTL").containsKey("n1");

        node.close();
        node = null;
        assertThat(directory.leases().toCompletableFuture().join()).as("released at once, not run out").isEmpty();
        assertThat(directory.session(player).toCompletableFuture().join()).hasValueSatisfying(r -> {
            assertThat(r.epoch()).isEqualTo(1);
            assertThat(r.state()).isNotEmpty();
        });
    }

    @Test
    void aCleanStopWritesALastCheckpoint() throws Exception {
        node = start(new NodeDurability(Duration.ofSeconds(1), Duration.ofHours(1))); // no periodic one in the test
        String player = join();
        byte[] created = directory.session(player).toCompletableFuture().join().orElseThrow().state();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.inspect(c -> c.world().tick())
                .get(5, TimeUnit.SECONDS) > 0);
        Thread.sleep(200); // a few ticks on, so that the state is stamped with a later tick
        node.close();
        node = null;
        assertThat(directory.session(player).toCompletableFuture().join().orElseThrow().state())
                .as("the state as the node stopped, not as it was created").isNotEqualTo(created);
    }

    @Test
    void aSecondNodeWithTheSameIdRefusesToStartWhileTheFirstHoldsTheLease() {
        node = start();
        long started = System.nanoTime();
        assertThatThrownBy(this::start).hasMessageContaining("is held by its incarnation");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("it waited out one TTL first")
                .isGreaterThanOrEqualTo(DURABLE.leaseTtl());
        assertThat(directory.holdLease("n1", 1, DURABLE.leaseTtl()).toCompletableFuture().join())
                .isInstanceOf(LeaseOutcome.Held.class);
        assertThat(directory.nodes().toCompletableFuture().join().get("n1").baseUrl())
                .as("peers still reach the running node").isEqualTo(node.baseUrl());
    }
}
