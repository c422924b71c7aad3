package io.worldmesh.node;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.Property;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SimulationNodeTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ToGateway> received = new CopyOnWriteArrayList<>();
    private SimulationNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private SimulationNode start(int mailbox) {
        node = new SimulationNode(new NodeSettings("node-t", mailbox), new World(WorldSettings.DEFAULTS, new OrbGame()),
                registry);
        node.connect(received::add);
        return node.start();
    }

    @Test
    void attachesAPlayerAndStreamsItsSnapshotsAtTheTickRate() {
        start(1024);
        assertThat(node.offer(new ToNode.Attach(5, "ann", null))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().anyMatch(ToGateway.Attached.class::isInstance));
        ToGateway.Attached attached = (ToGateway.Attached) received.stream()
                .filter(ToGateway.Attached.class::isInstance).findFirst().orElseThrow();
        assertThat(attached.connectionId()).isEqualTo(5);
        assertThat(attached.resumed()).isFalse();
        assertThat(attached.world().nodeId()).isEqualTo("node-t");

        node.offer(new ToNode.Input(attached.playerId(), new ClientMessage.Input(1, new Vec2(1, 0), 0, null)));
        await().atMost(Duration.ofSeconds(5)).until(() -> snapshots().size() >= 5
                && snapshots().getLast().contains("\"last_applied_seq\":1"));
        List<String> snaps = snapshots();
        assertThat(snaps.getFirst()).startsWith("{\"type\":\"snapshot\",\"tick\":");
        assertThat(registry.get("worldmesh.tick.duration").timer().count()).isPositive();
    }

    @Test
    void inspectRunsOnTheSimulationThread() {
        start(1024);
        String thread = node.inspect(w -> Thread.currentThread().getName()).join();
        assertThat(thread).isEqualTo("simulation-node-t");
    }

    @Test
    void aFullMailboxRefusesInsteadOfBlocking() {
        node = new SimulationNode(new NodeSettings("node-t", 16), new World(WorldSettings.DEFAULTS, new OrbGame()),
                registry); // not started: nothing drains the mailbox
        for (int i = 0; i < 16; i++) {
            assertThat(node.offer(new ToNode.Detach("p" + i, i))).isTrue();
        }
        assertThat(node.offer(new ToNode.Detach("one-too-many", 99))).isFalse();
        assertThat(registry.get("worldmesh.mailbox.rejected").counter().count()).isEqualTo(1);
    }

    @Test
    void aResumedPlayerKeepsItsIdAndSeq() {
        start(1024);
        node.offer(new ToNode.Attach(1, "ann", null));
        await().until(() -> received.stream().anyMatch(ToGateway.Attached.class::isInstance));
        String id = ((ToGateway.Attached) received.getFirst()).playerId();
        node.offer(new ToNode.Input(id, new ClientMessage.Input(9, new Vec2(0, 1), 0, null)));
        node.offer(new ToNode.Detach(id, 1));
        node.offer(new ToNode.Attach(2, "ann", id));
        await().until(() -> received.stream().filter(ToGateway.Attached.class::isInstance).count() == 2);
        ToGateway.Attached again = received.stream().filter(ToGateway.Attached.class::isInstance)
                .map(ToGateway.Attached.class::cast).filter(a -> a.connectionId() == 2).findFirst().orElseThrow();
        assertThat(again.playerId()).isEqualTo(id);
        assertThat(again.resumed()).isTrue();
        assertThat(again.lastAppliedSeq()).isEqualTo(9);
    }

    @Test
    void aLateDetachFromAnOldConnectionDoesNotDisconnectAResumedPlayer() {
        start(1024);
        node.offer(new ToNode.Attach(1, "ann", null));
        await().until(() -> received.stream().anyMatch(ToGateway.Attached.class::isInstance));
        String id = ((ToGateway.Attached) received.getFirst()).playerId();
        node.offer(new ToNode.Attach(2, "ann", id)); // resumed on connection 2 while 1 still lingers
        node.offer(new ToNode.Detach(id, 1));       // connection 1's close arrives late
        boolean connected = node.inspect(w -> w.player(id).orElseThrow().connected()).join();
        assertThat(connected).isTrue();
        node.offer(new ToNode.Detach(id, 2));
        assertThat(node.inspect(w -> w.player(id).orElseThrow().connected()).join()).isFalse();
    }

    @Test
    void aGameThatThrowsDoesNotStopTheWorld() {
        Game faulty = new Game() {
            @Override public String name() { return "faulty"; }
            @Override public List<Property<?>> playerProperties() { return List.of(); }
            @Override public void onJoin(GamePlayer p, GameContext ctx) {
                if (p.name().equals("boom")) {
                    throw new IllegalStateException("bug in onJoin");
                }
            }
            @Override public void onTick(GameContext ctx) {
                if (ctx.tick() % 7 == 0) {
                    throw new IllegalStateException("bug in onTick");
                }
            }
        };
        node = new SimulationNode(new NodeSettings("node-t", 1024), new World(WorldSettings.DEFAULTS, faulty), registry);
        node.connect(received::add);
        node.start();
        node.offer(new ToNode.Attach(1, "boom", null));
        node.offer(new ToNode.Attach(2, "ann", null));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().anyMatch(f ->
                f instanceof ToGateway.Attached a && a.connectionId() == 2));
        long tick = node.inspect(World::tick).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> node.inspect(World::tick).join() > tick + 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> snapshots().size() > 10);
    }

    private List<String> snapshots() {
        return received.stream().filter(ToGateway.ToClient.class::isInstance).map(ToGateway.ToClient.class::cast)
                .filter(ToGateway.ToClient::droppable)
                .map(c -> new String(c.json(), StandardCharsets.UTF_8)).toList();
    }
}
