package io.worldmesh.embedded;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the tests of misbehaving clients share, as a static extension: a world for the class, a Vert.x of the
 * clients' own (so that closing one side never takes the other with it), and a well-behaved {@link Bystander}
 * whose view is marked before each test and which must still be served after it (once the class's own
 * {@code @AfterEach} has closed what the test opened).
 */
final class ServedWorld implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Supplier<EmbeddedWorld.Config> config;
    private EmbeddedWorld world;
    private Vertx clients;
    private Bystander bystander;
    private Bystander.Mark mark;

    ServedWorld(Supplier<EmbeddedWorld.Config> config) {
        this.config = config;
    }

    EmbeddedWorld world() {
        return world;
    }

    Vertx clients() {
        return clients;
    }

    Bystander bystander() {
        return bystander;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        world = EmbeddedWorld.start(config.get());
        clients = Vertx.vertx();
        bystander = Bystander.join(clients, world.wsUri(), "bystander");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        mark = bystander.mark();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        bystander.assertStillServed(mark);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (bystander != null) {
                bystander.close();
            }
        } finally {
            try {
                if (clients != null) {
                    clients.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                            .join();
                }
            } finally {
                if (world != null) {
                    world.close();
                }
            }
        }
    }
}
