package io.worldmesh.app;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a server process running until it is stopped (SIGTERM, Ctrl-C, or the death of the {@code cluster} that
 * started it), then closes its parts in the order given.
 */
final class UntilStopped {

    private UntilStopped() {
    }

    static int run(AutoCloseable... parts) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            for (AutoCloseable part : List.of(parts)) {
                try {
                    part.close();
                } catch (Exception ignored) {
                    // closing anyway: the next part still gets its turn
                }
            }
            stopped.countDown();
        }));
        ParentWatch.exitWhenParentDies();
        stopped.await();
        return 0;
    }
}
