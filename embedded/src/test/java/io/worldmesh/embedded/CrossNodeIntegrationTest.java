package io.worldmesh.embedded;

import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.directory.OwnershipChange;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.WorldSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes in one JVM, each with its own HTTP server, sharing an in-memory directory; real WebSocket bots walk
 * across node borders. Every cross-node handover goes over HTTP with the directory's commit, and the gateway
 * switches its route: nobody lost or owned twice, every input applied once, the game's invariants held.
 */
class CrossNodeIntegrationTest {

    // Narrow cells so that stripes are close together and bots cross node borders within seconds.
    private static final WorldSettings NARROW = new WorldSettings(6, 3, 16.0, 20, 8.0, 1.0, 4, 6.0, 600, 5);

    @ParameterizedTest
    @ValueSource(strings = {"orbs", "tag"})
    void botsCrossingNodeBordersLoseNothingAndHoldTheInvariants(String game) throws Exception {
        EmbeddedWorld.Config config = EmbeddedWorld.Config.forTests().withWorld(NARROW).withGame(game).withNodes(3);
        Vertx clients = Vertx.vertx();
        try (EmbeddedWorld world = EmbeddedWorld.start(config)) {
            long orbsStart = world.orbsTotal();
            SwarmReport report = new BotSwarm(clients, SwarmOptions.of(world.wsUri(), 30, Duration.ofSeconds(10))
                    .withMaxGap(Duration.ofSeconds(3))).run();
            WorldAudit audit = world.audit(report.playerIds());
            EmbeddedWorld.EngineTotals totals = world.engineTotals();
            Map<String, InvariantMonitor.Tally> invariants = world.invariants().tallies();

            assertThat(report.errors()).as("errors: %s", report.sampleViolations()).isZero();
            assertThat(report.violations()).as("violations: %s", report.sampleViolations()).isZero();
            assertThat(report.crossNodeHandovers()).isPositive();
            assertThat(report.crossNodeHandovers()).isLessThanOrEqualTo(totals.crossNodeHandovers());
            assertThat(report.inputsLost()).isZero();
            assertThat(report.inputsDuplicated()).isZero();
            assertThat(report.inputsApplied()).isEqualTo(report.inputsSent());
            assertThat(totals.appliedInputs()).isEqualTo(report.inputsSent());
            assertThat(audit.lostPlayers()).isZero();
            assertThat(audit.duplicateOwners()).isZero();
            assertThat(audit.orbsTotal()).isEqualTo(orbsStart);
            assertThat(invariants.values()).allSatisfy(t -> {
                assertThat(t.checks()).isPositive();
                assertThat(t.violations()).as("%s", world.invariants().messages()).isZero();
            });
            assertOwnershipLogIsAChainPerPlayer(world.directory().audit(100_000).toCompletableFuture().join());
        } finally {
            clients.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** The directory's audit log: every player's epochs grow by one per change, each from the previous owner. */
    private static void assertOwnershipLogIsAChainPerPlayer(List<OwnershipChange> log) {
        Map<String, OwnershipChange> last = new HashMap<>();
        int handovers = 0;
        for (OwnershipChange c : log) {
            OwnershipChange before = last.put(c.playerId(), c);
            if (before == null) {
                assertThat(c.from()).as("first record of %s", c.playerId()).isNull();
                continue;
            }
            assertThat(c.from()).as("change of %s", c.playerId()).isEqualTo(before.to());
            if (c.to() != null) {
                assertThat(c.to().epoch()).isEqualTo(c.from().epoch() + 1);
                assertThat(c.to().node()).isNotEqualTo(c.from().node());
                handovers++;
            }
        }
        assertThat(handovers).isPositive();
    }

    @Test
    void withTheFlagOffPlayersAreHeldAtNodeBordersAndNothingIsHandedOver() throws Exception {
        AtomicBoolean flag = new AtomicBoolean(false);
        EmbeddedWorld.Config config = EmbeddedWorld.Config.forTests().withWorld(NARROW).withNodes(3)
                .withCrossNode(flag::get);
        Vertx clients = Vertx.vertx();
        try (EmbeddedWorld world = EmbeddedWorld.start(config)) {
            SwarmReport off = new BotSwarm(clients, SwarmOptions.of(world.wsUri(), 20, Duration.ofSeconds(5))).run();
            assertThat(off.crossNodeHandovers()).isZero();
            assertThat(world.engineTotals().crossNodeHandovers()).isZero();
            assertThat(off.errors()).isZero();
            assertThat(off.violations()).as("%s", off.sampleViolations()).isZero();
            assertThat(world.audit(off.playerIds()).lostPlayers()).isZero();

            flag.set(true); // read at the next crossing: the running cluster picks it up
            SwarmReport on = new BotSwarm(clients, SwarmOptions.of(world.wsUri(), 20, Duration.ofSeconds(8))).run();
            assertThat(on.crossNodeHandovers()).isPositive();
            assertThat(on.violations()).as("%s", on.sampleViolations()).isZero();
            assertThat(world.audit(on.playerIds()).lostPlayers()).isZero();
        } finally {
            clients.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
