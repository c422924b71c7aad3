package io.worldmesh.embedded;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.worldmesh.api.Game;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.gateway.GatewayServer;
import io.worldmesh.gateway.GatewaySettings;
import io.worldmesh.node.NodeSettings;
import io.worldmesh.node.SimulationNode;

import java.net.URI;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The composition root of a one-process world: a simulation node and a gateway joined by an in-memory link.
 * Phase B keeps both components and swaps the link for a network one.
 */
public final class EmbeddedWorld implements AutoCloseable {

    /** What to build. {@code checkInvariants} checks the game's invariants after every tick. */
    public record Config(WorldSettings world, NodeSettings node, GatewaySettings gateway, String game,
                         boolean checkInvariants) {

        public static Config defaults() {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            return new Config(WorldSettings.DEFAULTS, NodeSettings.DEFAULTS, GatewaySettings.defaults(secret),
                    Games.DEFAULT, false);
        }

        /** Defaults on a free loopback port, with invariants checked: for tests. */
        public static Config forTests() {
            Config d = defaults();
            return new Config(d.world, d.node, d.gateway.withHost("127.0.0.1").withPort(0), d.game, true);
        }

        public Config withWorld(WorldSettings w) {
            return new Config(w, node, gateway, game, checkInvariants);
        }

        public Config withGateway(GatewaySettings g) {
            return new Config(world, node, g, game, checkInvariants);
        }

        public Config withGame(String g) {
            return new Config(world, node, gateway, g, checkInvariants);
        }

        public Config withInvariantChecks(boolean on) {
            return new Config(world, node, gateway, game, on);
        }
    }

    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final World world;
    private final SimulationNode node;
    private final GatewayServer gateway;
    private final InvariantMonitor invariants;
    private final int port;

    private EmbeddedWorld(Config config) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Game game = Games.create(config.game());
        world = new World(config.world(), game);
        node = new SimulationNode(config.node(), world, registry);
        invariants = new InvariantMonitor(game.invariants());
        if (config.checkInvariants()) {
            node.addTickObserver(invariants);
        }
        vertx = Vertx.vertx();
        gateway = new GatewayServer(vertx, config.gateway(), node, registry);
        node.start();
        try {
            port = gateway.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("gateway failed to start on port " + config.gateway().port()
                    + ": " + e.getMessage(), e);
        }
    }

    public static EmbeddedWorld start(Config config) {
        return new EmbeddedWorld(config);
    }

    public int port() {
        return port;
    }

    /** The page to open in a browser. */
    public String httpUrl() {
        return "http://localhost:" + port + "/";
    }

    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    public SimulationNode node() {
        return node;
    }

    public Vertx vertx() {
        return vertx;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Read on the simulation thread only, e.g. through {@code node().inspect(...)}. */
    public InvariantMonitor invariants() {
        return invariants;
    }

    public GatewayServer gateway() {
        return gateway;
    }

    @Override
    public void close() {
        if (gateway != null) {
            try {
                gateway.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        node.close();
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
