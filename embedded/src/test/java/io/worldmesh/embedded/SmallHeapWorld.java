package io.worldmesh.embedded;

import java.io.IOException;

/**
 * A one-node world and its gateway on a free loopback port, for {@link SmallHeapTest} to start in a JVM of its own:
 * prints {@code port N}, then runs until its standard input closes (the test ends, or dies).
 */
public final class SmallHeapWorld {

    private SmallHeapWorld() {
    }

    public static void main(String[] args) throws IOException {
        try (EmbeddedWorld world = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withInvariantChecks(false))) {
            System.out.println("port " + world.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to go
            }
        }
    }
}
