package io.worldmesh.bench;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live line of {@code bench cross-node} on stderr: phase, handovers started and ended, their rate over the
 * last interval, how many are in flight, errors. Rewritten in place on a terminal, one line every 5 s otherwise.
 */
final class Progress {

    private final PrintStream out;
    private final boolean interactive = System.console() != null;
    private final long start = System.nanoTime();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private volatile String phase = "starting";
    private volatile int connected;
    private Thread printer;
    private long lastAt = start;
    private long lastEnded;

    /** {@code out} may be null: no progress. */
    Progress(PrintStream out) {
        this.out = out;
    }

    synchronized void start() {
        if (out == null || printer != null) {
            return;
        }
        long interval = interactive ? TimeUnit.SECONDS.toMillis(1) : TimeUnit.SECONDS.toMillis(5);
        printer = Thread.ofPlatform().daemon().name("bench-progress").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(interval);
                    print(false);
                }
            } catch (InterruptedException stopped) {
                // done
            }
        });
    }

    synchronized void stop() {
        if (printer != null) {
            printer.interrupt();
            printer = null;
            print(true);
        }
    }

    void phase(String name) {
        phase = name;
    }

    void connected(int n) {
        connected = n;
    }

    void started() {
        started.incrementAndGet();
    }

    void ended(HandoverSample s) {
        ended.incrementAndGet();
        if (!s.committed()) {
            errors.incrementAndGet();
        }
    }

    void echoed() {
        echoes.incrementAndGet();
    }

    private synchronized void print(boolean last) {
        long now = System.nanoTime();
        long done = ended.get();
        double dt = Math.max(1e-9, (now - lastAt) / 1e9);
        String line = String.format("[%5.1fs] %-14s | clients %d | handovers %d (%5.0f/s) | in flight %3d | "
                        + "echoes %d | errors %d", (now - start) / 1e9, phase, connected, done,
                (done - lastEnded) / dt, started.get() - done, echoes.get(), errors.get());
        lastAt = now;
        lastEnded = done;
        if (interactive) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }
}
