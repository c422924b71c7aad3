package io.worldmesh.app;

import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.protocol.tls.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Bots against any running gateway. */
@Command(name = "bots", mixinStandardHelpOptions = true,
        description = {"Connects bots to a gateway; they random-walk across cell borders and check the protocol",
                "(each input applied once and in order, ticks increasing, no long snapshot gaps)."})
final class BotsCommand implements Callable<Integer> {

    @Option(names = "--url", split = ",", description = {"The gateway's WebSocket (default: ws://localhost:8080/ws);",
            "wss://... over TLS (see --tls-trust for a self-signed gateway).",
            "Repeat it (or separate with commas) for several gateways: bots join them in turn, and a bot whose",
            "connection drops reconnects to the next one and resumes its player."})
    List<URI> urls = List.of(URI.create("ws://localhost:8080/ws"));

    @Option(names = "--count", description = "Bots to connect (default: ${DEFAULT-VALUE}).")
    int count = 20;

    @Option(names = "--duration", description = "How long they play (default: 60s).")
    Duration duration = Duration.ofSeconds(60);

    @Option(names = "--rate", description = "Inputs per second per bot (default: ${DEFAULT-VALUE}).")
    int rate = 20;

    @Option(names = "--max-gap", description = "Longest acceptable time between snapshots (default: 2s).")
    Duration maxGap = Duration.ofSeconds(2);

    @Option(names = "--seed", description = "Seed of the bots' random walks (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--json", description = "End with one line of JSON holding the summary.")
    boolean json;

    @Mixin
    ActionRateOption actions = new ActionRateOption();

    /** What the bots trust connecting to wss gateways. */
    @Mixin
    TlsTrustOption trust = new TlsTrustOption();

    @Override
    public Integer call() throws InterruptedException {
        SwarmOptions options;
        try {
            options = new SwarmOptions(urls, count, duration, rate, maxGap, seed, System.err,
                    TlsFiles.trusting(trust.trust).checked(), actions.perSecond);
        } catch (IllegalArgumentException e) {
            System.err.println("worldmesh bots: " + e.getMessage());
            return 2;
        }
        Vertx vertx = Vertx.vertx();
        try {
            SwarmReport r = new BotSwarm(vertx, options).run();
            Table.print(System.out, "Worldmesh bots summary", r.rows());
            r.sampleViolations().forEach(v -> System.out.println("  violation: " + v));
            if (json) {
                System.out.println(SwarmJson.of(r));
            }
            return r.errors() == 0 && r.violations() == 0 && r.inputsLost() == 0 && r.inputsDuplicated() == 0
                    && r.reconnects().clean() ? 0 : 1;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
