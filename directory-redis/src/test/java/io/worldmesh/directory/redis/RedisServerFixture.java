package io.worldmesh.directory.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests, started from PATH on a free loopback port, configured as the handover
 * rules require of the directory's store: a single primary with {@code appendonly yes} and
 * {@code appendfsync always} (and no RDB snapshots), its files in a temporary directory. Published in this
 * module's test-jar, so that other modules' tests can use it:
 * <pre>
 * static RedisServerFixture redis;
 * &#64;BeforeAll static void start() { redis = RedisServerFixture.start(); }
 * &#64;AfterAll static void stop() { redis.close(); }
 * </pre>
 * When {@code redis-server} is missing it fails, naming the Debian package, rather than skipping: CI installs it.
 */
public final class RedisServerFixture implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 5;

    private final Path executable;
    private final Path dataDir;
    private final int port;
    /** More of redis-server's options, e.g. {@code --requirepass}; the server then still counts as up at NOAUTH. */
    private final List<String> options;
    private final Thread killAtExit;
    private volatile Process process;
    private boolean frozen;

    private RedisServerFixture(Path executable, Path dataDir, int port, List<String> options) {
        this.executable = executable;
        this.dataDir = dataDir;
        this.port = port;
        this.options = List.copyOf(options);
        this.killAtExit = new Thread(this::kill, "redis-server-fixture-kill");
    }

    /** Starts a server on a free port and waits until it answers PING. */
    public static RedisServerFixture start() {
        return start(System.getenv().getOrDefault("PATH", ""));
    }

    /** A server started with more options, e.g. {@code --requirepass PASSWORD}, or {@code --user ...} for ACL users. */
    public static RedisServerFixture startWith(String... options) {
        return start(System.getenv().getOrDefault("PATH", ""), List.of(options));
    }

    /** {@link #start()}, looking for redis-server in {@code searchPath} (directories as in PATH). */
    static RedisServerFixture start(String searchPath) {
        return start(searchPath, List.of());
    }

    private static RedisServerFixture start(String searchPath, List<String> options) {
        Path executable = findOn(searchPath, "redis-server").orElseThrow(() -> new IllegalStateException(
                "redis-server is not on PATH; the Redis directory tests need a real one: install the Debian package "
                        + "redis-server (apt-get install redis-server)"));
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("worldmesh-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExitedAtStart last = null;
        // A free port can be taken by someone else between finding it and redis-server binding it: try another.
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            RedisServerFixture fixture = new RedisServerFixture(executable, dataDir, freePort(), options);
            try {
                fixture.launch();
                Runtime.getRuntime().addShutdownHook(fixture.killAtExit);
                return fixture;
            } catch (ExitedAtStart e) {
                last = e;
            }
        }
        deleteRecursively(dataDir);
        throw last;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** Where the server keeps its append-only file. */
    public Path dataDir() {
        return dataDir;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL if it has not exited within 5 s); its data stays. */
    public void stop() {
        if (process == null) {
            return;
        }
        if (frozen) {
            thaw();
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the server again on the same port with the same data (its append-only file). */
    public void restart() {
        stop();
        launch();
    }

    /** SIGSTOP: the server keeps its connections open but answers nothing, like a stalled host. */
    public void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw() {
        signal("CONT");
        frozen = false;
    }

    /** {@link #thaw} if frozen: for a test's cleanup, whatever it did. */
    public void thawIfFrozen() {
        if (frozen && process != null) {
            thaw();
        }
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        deleteRecursively(dataDir);
    }

    private void launch() {
        Path log = dataDir.resolve("redis-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", dataDir.toString(), "--daemonize", "no"));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + executable, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersPing()) {
            try {
                // Waiting on the process also notices at once when it exits (a taken port, a bad option).
                if (process.waitFor(20, TimeUnit.MILLISECONDS)) {
                    process = null;
                    throw new ExitedAtStart("redis-server exited at start on port " + port + ":\n" + tail(log));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new IllegalStateException("interrupted while starting redis-server", e);
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                        + START_TIMEOUT + ":\n" + tail(log));
            }
        }
    }

    /** The server exited before it answered: most likely someone else took the port first. */
    private static final class ExitedAtStart extends IllegalStateException {
        ExitedAtStart(String message) {
            super(message);
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
            return reply.equals("+PONG\r\n") || reply.equals("-NOAUTH"); // up, and asking for a login
        } catch (IOException notYet) {
            return false;
        }
    }

    private void signal(String signal) {
        if (process == null) {
            throw new IllegalStateException("redis-server is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> findOn(String searchPath, String name) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans it eventually
        }
    }
}
