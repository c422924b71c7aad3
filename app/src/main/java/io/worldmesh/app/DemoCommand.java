package io.worldmesh.app;

import io.worldmesh.telemetry.Telemetries;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.worldmesh.client.BotSwarm;
import io.worldmesh.client.SourceAddresses;
import io.worldmesh.client.SwarmOptions;
import io.worldmesh.client.SwarmReport;
import io.worldmesh.embedded.EmbeddedWorld;
import io.worldmesh.embedded.WorldAudit;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.gateway.Admission;
import io.worldmesh.gateway.GatewaySettings;
import io.worldmesh.protocol.tls.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** A whole world, its gateway and a swarm of bots in one process; open the printed URL to play among them. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a world, its gateway and bots in one process and prints the URL to open.",
                "Runs until Ctrl-C, or for --duration and then prints a summary of what the bots and the world saw."})
final class DemoCommand implements Callable<Integer> {

    @Mixin
    WorldOptions world = new WorldOptions();

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Mixin
    ActionRateOption actions = new ActionRateOption();

    @Option(names = "--bots", description = "Bots to connect (default: ${DEFAULT-VALUE}).")
    int bots = 20;

    @Option(names = "--nodes", description = "Simulation nodes, each with its own HTTP server on loopback and a "
            + "stripe of cells; players walking across stripes are handed over between them (default: "
            + "${DEFAULT-VALUE}).")
    int nodes = 3;

    @Option(names = "--duration", description = "Stop after this long (e.g. 60s, 5m) and print the summary.")
    Duration duration;

    @Option(names = "--json", description = "End with one line of JSON holding the summary.")
    boolean json;

    @Option(names = "--tls", description = "Serve the page and /ws over HTTPS/WSS only, with a self-signed "
            + "certificate for localhost, 127.0.0.1 and ::1 made at start; the bots trust it, a browser has to be "
            + "told to. Instead of --tls-cert and --tls-key.")
    boolean selfSigned;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        TlsFiles tls;
        try {
            tls = tls();
        } catch (IllegalArgumentException e) {
            System.err.println("worldmesh demo refuses to start: " + e.getMessage());
            return 2;
        }
        EmbeddedWorld.Config config = EmbeddedWorld.Config.defaults().withWorld(world.settings())
                .withGateway(roomForBots(gateway.settings().withTls(tls))).withGames(world.games())
                .withGame(world.game).withNodes(nodes)
                .withInvariantChecks(true);
        try (Telemetries telemetry = Telemetries.fromEnvironment();
             EmbeddedWorld w = EmbeddedWorld.start(config, telemetry)) {
            out.println("Worldmesh demo: game '" + world.game + "', " + world.cellsX + "x" + world.cellsZ
                    + " cells on " + nodes + " node" + (nodes == 1 ? "" : "s") + ", " + bots + " bots.");
            out.println("Open " + w.httpUrl() + " in a browser to play" + (duration == null ? " (Ctrl-C to stop)." : ".")
                    + (selfSigned ? " Its self-signed certificate: " + tls.certificate() : ""));
            out.flush();
            long orbsStart = w.orbsTotal();
            Vertx botVertx = Vertx.vertx();
            SwarmReport report;
            try {
                Duration run = duration == null ? Duration.ofDays(3650) : duration;
                // The bots trust the gateway's own certificate; they dial 127.0.0.1, which it must name.
                SwarmOptions options = SwarmOptions.of(w.wsUri(), bots, run).withProgress(System.err)
                        .withActionRate(actions.perSecond)
                        .withTls(TlsFiles.trusting(tls.certificate()));
                report = new BotSwarm(botVertx, options).run();
            } finally {
                botVertx.close().toCompletionStage().toCompletableFuture().join();
            }
            List<String> ids = report.playerIds();
            WorldAudit audit = w.audit(ids);
            EmbeddedWorld.EngineTotals stats = w.engineTotals();
            Map<String, Long> gameStats = w.gameStats();
            Map<String, InvariantMonitor.Tally> invariants = w.invariants().tallies();
            List<String> invariantMessages = w.invariants().messages();
            printSummary(out, report, audit, orbsStart, stats, gameStats, invariants, invariantMessages,
                    w.invariants().skipped());
            if (json) {
                out.println(json(report, audit, orbsStart, stats, gameStats, invariants));
            }
            boolean clean = report.errors() == 0 && report.violations() == 0 && report.inputsLost() == 0
                    && report.inputsDuplicated() == 0 && report.reconnects().clean() && audit.lostPlayers() == 0
                    && audit.duplicateOwners() == 0
                    && orbsStart == audit.orbsTotal()
                    && invariants.values().stream().allMatch(t -> t.violations() == 0);
            return clean ? 0 : 1;
        }
    }

    /** The gateway's TLS: a throwaway certificate with --tls, --tls-cert's otherwise, or none. */
    private TlsFiles tls() throws java.io.IOException {
        if (selfSigned && gateway.tls.certificate != null) {
            throw new IllegalArgumentException("--tls makes its own certificate; give it or --tls-cert and "
                    + "--tls-key, not both");
        }
        return selfSigned ? ThrowawayTls.create() : gateway.tls(null);
    }

    /**
     * The demo's bots do not take the places of real players: --max-players counts beside them. They spread over
     * loopback addresses where the system allows it; where it does not, they all come from one.
     */
    private GatewaySettings roomForBots(GatewaySettings g) {
        Admission a = g.admission().withMaxPlayers(g.admission().maxPlayers() + bots);
        if (!SourceAddresses.spreadsLoopback()) {
            a = a.withMaxConnectionsPerAddress(a.maxConnectionsPerAddress() + bots);
        }
        return g.withAdmission(a);
    }

    private void printSummary(PrintStream out, SwarmReport r, WorldAudit audit, long orbsStart,
                              EmbeddedWorld.EngineTotals stats, Map<String, Long> gameStats,
                              Map<String, InvariantMonitor.Tally> invariants, List<String> messages, long skipped) {
        List<String[]> rows = new ArrayList<>(r.rows());
        rows.add(new String[] {"players in world", String.valueOf(audit.players())});
        rows.add(new String[] {"lost players", String.valueOf(audit.lostPlayers())});
        rows.add(new String[] {"duplicate owners", String.valueOf(audit.duplicateOwners())});
        rows.add(new String[] {"orbs at start / end", orbsStart + " / " + audit.orbsTotal()});
        rows.add(new String[] {"server: inputs applied", String.valueOf(stats.appliedInputs())});
        rows.add(new String[] {"server: game actions applied", String.valueOf(stats.appliedActions())});
        rows.add(new String[] {"server: local handovers", String.valueOf(stats.localHandovers())});
        rows.add(new String[] {"server: cross-node handovers", String.valueOf(stats.crossNodeHandovers())});
        gameStats.forEach((name, v) -> rows.add(new String[] {"game: " + name, String.valueOf(v)}));
        invariants.forEach((name, t) -> rows.add(new String[] {"invariant " + name,
                t.checks() + " checks, " + t.violations() + " violations"}));
        rows.add(new String[] {"cluster checks left out", skipped + " (a handover in flight, or players moved)"});
        out.println();
        Table.print(out, "Worldmesh demo summary", rows);
        r.sampleViolations().forEach(v -> out.println("  violation: " + v));
        messages.forEach(m -> out.println("  invariant: " + m));
    }

    private String json(SwarmReport r, WorldAudit audit, long orbsStart, EmbeddedWorld.EngineTotals stats,
                        Map<String, Long> gameStats, Map<String, InvariantMonitor.Tally> invariants) {
        ObjectNode o = SwarmJson.of(r);
        o.put("lost_players", audit.lostPlayers());
        o.put("duplicate_owners", audit.duplicateOwners());
        o.put("orbs_total_start", orbsStart);
        o.put("orbs_total_end", audit.orbsTotal());
        o.put("server_inputs_applied", stats.appliedInputs());
        o.put("server_actions_applied", stats.appliedActions());
        o.put("server_local_handovers", stats.localHandovers());
        o.put("server_cross_node_handovers", stats.crossNodeHandovers());
        o.put("nodes", nodes);
        ObjectNode inv = o.putObject("invariants");
        invariants.forEach((name, t) -> inv.putObject(name).put("checks", t.checks()).put("violations", t.violations()));
        ObjectNode game = o.putObject("game");
        gameStats.forEach(game::put);
        return o.toString();
    }
}
