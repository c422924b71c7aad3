package io.worldmesh.app;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a server process running until it is stopped (SIGTERM, Ctrl-C, or the death of the {@code cluster} that
 * started it), or until it ends of itself, then closes its parts in the order given.
 */
final class UntilStopped {

    private UntilStopped() {
    }

    static int run(AutoCloseable... parts) throws InterruptedException {
        return run(new CompletableFuture<>(), parts);
    }

    /**
     * As {@link #run(AutoCloseable...)}; should {@code ended} complete first, its reason goes to stderr, the parts
     * are closed and the exit code is {@link #ENDED_BY_ITSELF}, so that a supervisor starts the process again.
     */
    static int run(CompletableFuture<String> ended, AutoCloseable... parts) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeAll = () -> {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            for (AutoCloseable part : List.of(parts)) {
                try {
                    part.close();
                } catch (Exception ignored) {
                    // closing anyway: the next part still gets its turn
                }
            }
            stopped.countDown();
        };
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(closeAll));
        ParentWatch.exitWhenParentDies();
        ended.thenAccept(reason -> {
            System.err.println(reason);
            closeAll.run();
        });
        stopped.await();
        return ended.isDone() ? ENDED_BY_ITSELF : 0;
    }

    /** The exit code of a process that ended of itself (a node taken over while it could not renew its lease). */
    static final int ENDED_BY_ITSELF = 3;
}
