package io.worldmesh.embedded;

import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.Clients;
import io.worldmesh.client.GameConnection;
import io.worldmesh.client.ProtocolChecker;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.engine.GameCatalog;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.protocol.client.ServerMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every game on the classpath (the shipped ones, and this module's test game with an action of every field type),
 * played by bots that cross cell borders and send the game's actions, keeps every invariant it declares.
 */
class GamesIntegrationTest {

    // A small crowded world: many border crossings, many meetings.
    private static final WorldSettings CROWDED = new WorldSettings(5, 5, 16.0, 20, 8.0, 1.0, 4, 6.0, 600, 11);

    static List<String> games() {
        return GameCatalog.onClasspath().names();
    }

    @ParameterizedTest
    @MethodSource("games")
    void botsPlayWithoutBreakingTheGamesInvariants(String game) throws Exception {
        Vertx clients = Vertx.vertx();
        try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withWorld(CROWDED)
                .withGame(game))) {
            SwarmReport report = new BotSwarm(clients, SwarmOptions.of(world.wsUri(), 40, Duration.ofSeconds(6))
                    .withMaxGap(Duration.ofSeconds(3)).withActionRate(2)).run();
            boolean hasActions = !world.node().inspect(w -> w.game().actions()).join().isEmpty();
            EmbeddedWorld.EngineTotals totals = world.engineTotals();
            Map<String, Long> stats = world.gameStats();
            Map<String, InvariantMonitor.Tally> tallies = world.node().inspect(w -> world.invariants().tallies()).join();
            List<String> messages = world.node().inspect(w -> world.invariants().messages()).join();

            assertThat(report.violations()).as("%s", report.sampleViolations()).isZero();
            assertThat(report.errors()).isZero();
            assertThat(report.inputsLost()).isZero();
            assertThat(report.localHandovers()).isGreaterThan(20);
            // 40 bots x 2 actions/s x 6 s: about 480, every one applied once (no input lost or applied twice).
            assertThat(report.actionsSent()).isEqualTo(hasActions ? totals.appliedActions() : 0);
            if (hasActions) {
                assertThat(report.actionsSent()).isGreaterThan(200);
            }
            if (game.equals("signal")) {
                assertThat(stats).containsEntry("signals", totals.appliedActions());
            }
            assertThat(tallies).as("game %s declares invariants", game).isNotEmpty();
            tallies.forEach((name, t) -> {
                assertThat(t.checks()).as(name).isGreaterThan(50);
                assertThat(t.violations()).as("%s: %s", name, messages).isZero();
            });
        } finally {
            clients.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void anUndeclaredActionIsRefusedOverTheWireAndADeclaredOneIsApplied() throws Exception {
        Vertx clients = Vertx.vertx();
        try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests())) {
            List<ServerMessage> received = new CopyOnWriteArrayList<>();
            GameConnection c = GameConnection.open(clients, Clients.webSocketClient(clients), world.wsUri(), "act",
                    null, new ProtocolChecker(TimeUnit.SECONDS.toNanos(5)), received::add)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String id = c.welcome().playerId();
            c.sendRaw("{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":0,\"z\":0},\"yaw\":0,\"action\":{\"name\":\"fly\"}}");
            await().until(() -> received.stream().anyMatch(m -> m instanceof ServerMessage.Error e
                    && e.code().equals("bad_action") && e.message().contains("fly")));
            assertThat(world.node().inspect(w -> w.player(id).orElseThrow().lastAppliedSeq()).join()).isZero();

            // The gateway has passed seq 1 on (only the game knows its actions), so the next input takes seq 2.
            c.sendRaw("{\"type\":\"input\",\"seq\":2,\"move\":{\"x\":0,\"z\":0},\"yaw\":0,\"action\":{\"name\":\"drop\"}}");
            await().until(() -> world.node().inspect(w -> w.player(id).orElseThrow().lastAppliedSeq()).join() == 2);
            c.close();
        } finally {
            clients.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
