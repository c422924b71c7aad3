package io.worldmesh.node;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverReport;
import io.worldmesh.handover.Outcome;
import io.worldmesh.handover.Side;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NodeMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void gaugesStillReadAfterGarbageCollections() {
        NodeMetrics metrics = new NodeMetrics(registry, "node-t", new World(WorldSettings.DEFAULTS, new OrbGame()),
                () -> 2);
        ArrayBlockingQueue<Integer> mailbox = new ArrayBlockingQueue<>(16);
        mailbox.add(1);
        mailbox.add(2);
        mailbox.add(3);
        metrics.watchMailbox(mailbox::size);
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertThat(registry.get("worldmesh.mailbox.depth").gauge().value()).isEqualTo(3);
        assertThat(registry.get("worldmesh.handovers.in.flight").gauge().value()).isEqualTo(2);
        assertThat(registry.get("worldmesh.players").gauge().value()).isZero();
    }

    @Test
    void aFinishedHandoverCountsItsOutcomeAndItsPhasesOnTheSource() {
        NodeMetrics metrics = new NodeMetrics(registry, "n1", new World(WorldSettings.DEFAULTS, new OrbGame()), () -> 0);
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        metrics.handoverFinished(new HandoverReport(Side.SOURCE, "p1", "t", Outcome.COMMITTED, "committed",
                2 * ms, ms, 3 * ms, 6 * ms));
        metrics.handoverFinished(new HandoverReport(Side.SOURCE, "p2", "t2", Outcome.FENCED, "not_owner:n3@4",
                -1, -1, -1, ms));
        assertThat(registry.get("worldmesh.handovers").tag("outcome", "committed").counter().count()).isEqualTo(1);
        assertThat(registry.get("worldmesh.handovers").tag("reason", "not_owner").counter().count()).isEqualTo(1);
        assertThat(registry.get("worldmesh.handover.phase").tag("phase", "total").timer().count()).isEqualTo(1);
        assertThat(registry.get("worldmesh.handover.phase").tag("phase", "prepare").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2);
    }
}
