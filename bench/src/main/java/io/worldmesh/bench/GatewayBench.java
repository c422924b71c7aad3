package io.worldmesh.bench;

import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.embedded.EmbeddedWorld;
import io.worldmesh.gateway.Admission;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Real WebSocket clients through the gateway on loopback: bots connect, random-walk and check the protocol,
 * while the world runs at its tick rate. Reports protocol errors, the snapshot rate each bot received against the
 * tick rate, and input-to-snapshot latency.
 */
public final class GatewayBench {

    /** What one run measured; {@code snapshotRate} is per bot per second. */
    public record Result(int bots, int connected, double seconds, long errors, long violations,
                         double snapshotRate, int tickRate, double latencyP50Ms, double latencyP99Ms,
                         long maxGapMs, long inputsLost, long inputsDuplicated) {
    }

    private final EmbeddedWorld.Config config;
    private final int bots;
    private final Duration duration;
    private final PrintStream progress;

    public GatewayBench(EmbeddedWorld.Config config, int bots, Duration duration, PrintStream progress) {
        // Room for every bot: the gateway's own player limit is not what this measures.
        Admission admission = config.gateway().admission();
        this.config = config.withGateway(config.gateway().withAdmission(
                admission.withMaxPlayers(Math.max(admission.maxPlayers(), bots))));
        this.bots = bots;
        this.duration = duration;
        this.progress = progress;
    }

    public Result run() throws InterruptedException {
        try (EmbeddedWorld world = EmbeddedWorld.start(config)) {
            SwarmOptions options = SwarmOptions.of(world.wsUri(), bots, duration).withProgress(progress);
            SwarmReport r = new BotSwarm(world.vertx(), options).run();
            return new Result(bots, r.connected(), r.seconds(), r.errors(), r.violations(),
                    r.connected() == 0 ? 0 : r.snapshots() / r.seconds() / r.connected(),
                    config.world().tickRateHz(), r.latencyMillis(50), r.latencyMillis(99), r.maxGapMillis(),
                    r.inputsLost(), r.inputsDuplicated());
        }
    }
}
