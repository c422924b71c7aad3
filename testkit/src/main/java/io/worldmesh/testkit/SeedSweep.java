package io.worldmesh.testkit;

import io.worldmesh.api.Game;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs many seeds, each a whole {@link Simulation} on one thread, several seeds at once: runs share nothing, so
 * each is as deterministic as on its own. Reports progress on the calling thread.
 */
public final class SeedSweep {

    /** How far a sweep has got. {@code steps}: events handled over all finished seeds. */
    public record Progress(int seedsDone, int seeds, int failures, long committed, long aborted, long steps,
                           long elapsedNanos) {
    }

    /** Every seed's outcome, in seed order. */
    public record Report(List<SimulationResult> held, List<SimulationFailure> failures, long elapsedNanos) {

        public int seeds() {
            return held.size() + failures.size();
        }

        public long total(java.util.function.ToLongFunction<SimulationResult> count) {
            return held.stream().mapToLong(count).sum();
        }
    }

    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private SeedSweep() {
    }

    /** Seeds {@code first} .. {@code first + count - 1} on {@code threads} threads. */
    public static Report run(SimulationConfig config, Supplier<Game> games, long first, int count, int threads,
                             Consumer<Progress> progress) {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads),
                r -> Thread.ofPlatform().daemon().name("simulation").unstarted(r));
        try {
            CompletionService<Object> done = new ExecutorCompletionService<>(pool);
            for (long seed = first; seed < first + count; seed++) {
                long s = seed;
                done.submit(() -> {
                    try {
                        return new Simulation(config, games, s).run();
                    } catch (SimulationFailure f) {
                        return f;
                    }
                });
            }
            List<SimulationResult> held = new ArrayList<>(count);
            List<SimulationFailure> failures = new ArrayList<>();
            long committed = 0;
            long aborted = 0;
            long steps = 0;
            long lastReport = start;
            for (int i = 1; i <= count; i++) {
                Object outcome = take(done);
                if (outcome instanceof SimulationResult r) {
                    held.add(r);
                    committed += r.handoversCommitted();
                    aborted += r.handoversAborted();
                    steps += r.steps();
                } else {
                    failures.add((SimulationFailure) outcome);
                }
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_EVERY_NANOS || i == count) {
                    lastReport = now;
                    progress.accept(new Progress(i, count, failures.size(), committed, aborted, steps, now - start));
                }
            }
            held.sort(Comparator.comparingLong(SimulationResult::seed));
            failures.sort(Comparator.comparingLong(SimulationFailure::seed));
            return new Report(held, failures, System.nanoTime() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object take(CompletionService<Object> done) {
        try {
            Future<Object> f = done.take();
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a simulation failed outside its checks", e.getCause());
        }
    }
}
