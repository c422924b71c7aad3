package io.worldmesh.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process that {@code cluster} starts: its output forwarded line by line with a prefix, a way to wait for a line
 * that says it is up, and a clean stop (SIGTERM, then kill after a grace period).
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final Thread pump;

    private ChildProcess(String name, Process process, PrintStream out, Predicate<String> readyLine) {
        this.name = name;
        this.process = process;
        this.pump = Thread.ofPlatform().daemon().name("log-" + name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.println("[" + name + "] " + line);
                    if (!ready.isDone() && readyLine.test(line)) {
                        ready.complete(line);
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
            ready.completeExceptionally(new IllegalStateException(name + " stopped before it was up"));
        });
    }

    /** Starts {@code command} with stderr merged into stdout, and {@code env} added to its environment. */
    static ChildProcess start(String name, List<String> command, Map<String, String> env, PrintStream out,
                              Predicate<String> readyLine) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        env.forEach(builder.environment()::putIfAbsent);
        Process p = builder.start();
        return new ChildProcess(name, p, out, readyLine);
    }

    /** Extra JVM options for every child JVM, split at whitespace, e.g. a flight recording per process. */
    static final String CHILD_JAVA_OPTS = "WORLDMESH_CHILD_JAVA_OPTS";

    /**
     * The JVM options a node child starts with, before {@value #CHILD_JAVA_OPTS} (a later option wins, so
     * {@code -XX:TieredStopAtLevel=4 -XX:-UseSerialGC -XX:+UseG1GC} there undoes them). The children of one parent
     * share one machine, often with few cores: with C2 on, each node spent about half its CPU in the C2 compiler
     * threads through a two-minute run (JFR, 2 cores), and G1's young pauses, with two parallel GC threads
     * competing with the other processes, took 20-370 ms. C1 alone compiles at a fraction of the cost, and the
     * serial collector has no GC threads to schedule; the heaps are small.
     */
    static final List<String> NODE_JAVA_OPTS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * The gateway's: the serial collector, but C2 kept, since every client message crosses the gateway twice and
     * C1's code added tens of microseconds to its hop.
     */
    static final List<String> GATEWAY_JAVA_OPTS = List.of("-XX:+UseSerialGC");

    /**
     * The command that starts this same application in a child JVM, ending with it ({@link ParentWatch}), with
     * {@code jvmOptions} and then the options in {@value #CHILD_JAVA_OPTS} if set (e.g.
     * {@code -XX:StartFlightRecording:filename=/tmp/wm-%p.jfr}).
     */
    static List<String> self(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        String extra = System.getenv(CHILD_JAVA_OPTS);
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.add("-D" + ParentWatch.PROPERTY + "=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The line that said it is up; fails if the process exits first or {@code seconds} pass. */
    String awaitReady(long seconds) throws Exception {
        return ready.get(seconds, TimeUnit.SECONDS);
    }

    /** Waits up to {@code seconds} for the process to exit by itself, then for its last lines; true if it did. */
    boolean awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return false;
        }
        pump.join(TimeUnit.SECONDS.toMillis(2));
        return true;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash: the process gets no chance to do anything more. Waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        pump.join(TimeUnit.SECONDS.toMillis(2));
    }

    /**
     * SIGSTOP: the process hangs as in a long GC pause or a frozen VM, holding its sockets open; {@link #carryOn()}
     * lets it go on.
     */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void carryOn() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " (" + name + ") failed");
        }
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            pump.join(TimeUnit.SECONDS.toMillis(2)); // its last lines out before whatever the caller prints next
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
