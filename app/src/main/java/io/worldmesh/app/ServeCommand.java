package io.worldmesh.app;

import io.worldmesh.telemetry.Telemetries;

import io.worldmesh.embedded.EmbeddedWorld;
import io.worldmesh.protocol.tls.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** A world and its gateway in one process, for real players only. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs a world and its gateway in one process, without bots, until stopped.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    WorldOptions world = new WorldOptions();

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Option(names = "--nodes", description = "Simulation nodes in this process, each owning a stripe of cells "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "3")
    int nodes;

    @Override
    public Integer call() throws InterruptedException {
        TlsFiles tls;
        try {
            tls = gateway.tls(null); // the nodes are in this process, on loopback: only the gateway serves TLS
        } catch (IllegalArgumentException e) {
            System.err.println("worldmesh serve refuses to start: " + e.getMessage());
            return 2;
        }
        EmbeddedWorld.Config config = EmbeddedWorld.Config.defaults().withWorld(world.settings())
                .withGateway(gateway.settings().withTls(tls)).withGames(world.games()).withGame(world.game)
                .withNodes(nodes);
        Telemetries telemetry = Telemetries.fromEnvironment();
        EmbeddedWorld w = EmbeddedWorld.start(config, telemetry);
        System.out.println("Worldmesh serving game '" + world.game + "' at " + w.httpUrl()
                + " (WebSocket " + w.wsUri().getPath() + ", metrics /metrics, health /health). Ctrl-C to stop.");
        return UntilStopped.run(w, telemetry);
    }
}
