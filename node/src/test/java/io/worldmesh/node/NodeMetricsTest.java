package io.worldmesh.node;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void mailboxDepthStillReadsAfterGarbageCollections() {
        // Not started, so the three frames stay in the mailbox.
        SimulationNode node = new SimulationNode(new NodeSettings("node-t", 16),
                new World(WorldSettings.DEFAULTS, new OrbGame()), registry);
        for (int i = 0; i < 3; i++) {
            node.offer(new ToNode.Detach("p" + i, i));
        }
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertThat(registry.get("worldmesh.mailbox.depth").gauge().value()).isEqualTo(3);
        assertThat(registry.get("worldmesh.players").gauge().value()).isZero();
        assertThat(node.nodeId()).isEqualTo("node-t"); // the node itself stays reachable throughout
    }
}
