package io.worldmesh.embedded;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in a JVM of its own with a small heap and as little direct memory, under every flood an
 * unauthenticated client can send at once: connections that ping without reading, WebSocket ping frames without
 * reading, HTTP requests pipelined without reading the answers, unique paths, more connections than an address may
 * hold. It must go on serving a player on another address throughout, and never run out of memory.
 */
class SmallHeapTest {

    private static final Duration FLOOD = Duration.ofSeconds(6);
    private static final int ADDRESSES = 3;
    /** More than an address may hold (32): the rest are refused. */
    private static final int SOCKETS_PER_ADDRESS = 40;

    private final List<AutoCloseable> sockets = new CopyOnWriteArrayList<>();
    private final List<String> childOutput = new CopyOnWriteArrayList<>();

    @Test
    void aSmallHeapKeepsServingUnderEveryFlood() throws Exception {
        Process child = start();
        Vertx clients = Vertx.vertx();
        try {
            int port = awaitPort(child);
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            try (Bystander bystander = Bystander.join(clients, ws, "bystander")) {
                Bystander.Mark mark = bystander.mark();
                List<Thread> floods = new ArrayList<>();
                long until = System.nanoTime() + FLOOD.toNanos();
                byte[] pings = join(100, i -> RawSocket.frame(RawSocket.FIN | RawSocket.TEXT,
                        ("{\"type\":\"ping\",\"id\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
                byte[] controlPings = join(100, i -> RawSocket.frame(RawSocket.FIN | 0x9, new byte[125]));
                for (int a = 0; a < ADDRESSES; a++) {
                    String local = "127.0.1." + (a + 1);
                    for (int i = 0; i < SOCKETS_PER_ADDRESS; i++) {
                        byte[] chunk = switch (i % 3) {
                            case 0 -> pings;
                            case 1 -> controlPings;
                            default -> null; // a connection that only takes up room
                        };
                        floods.add(Thread.ofVirtual().start(() -> webSocketFlood(ws, local, chunk, until)));
                    }
                }
                byte[] pipelined = join(200, i -> ("GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] missing = join(200, i -> ("GET /p-" + i + ".js HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 8; i++) {
                    byte[] requests = i % 2 == 0 ? pipelined : missing;
                    floods.add(Thread.ofVirtual().start(() -> httpFlood(ws, "127.0.2.1", requests, until)));
                }
                for (Thread t : floods) {
                    // Writers the gateway no longer reads from stay blocked: they are part of the flood.
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
                }
                // Still mid-flood: every socket is open and unread. A 64 MiB heap under all of it may pause the
                // gateway for a collection now and then: served, not served on time, is what this test asks.
                bystander.assertStillServed(mark, true);
                assertThat(get(ws, "/health")).startsWith("HTTP/1.1 200");
                assertThat(get(ws, "/metrics")).as("the refusals counted")
                        .containsPattern("worldmesh_gateway_refused_total\\{code=\"too_many_connections\"[^}]*} [1-9]");
                assertThat(child.isAlive()).as("the gateway's JVM is alive; its output: %s", childOutput).isTrue();
            }
        } finally {
            for (AutoCloseable s : sockets) {
                s.close();
            }
            clients.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertThat(childOutput).as("the gateway's JVM output").noneMatch(l -> l.contains("OutOfMemoryError"));
    }

    private Process start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                SmallHeapWorld.class.getName()).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    childOutput.add(line);
                }
            } catch (IOException gone) {
                // the child ended
            }
        });
        return p;
    }

    private int awaitPort(Process child) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> {
                    assertThat(child.isAlive()).as("child up; output %s", childOutput).isTrue();
                    return childOutput.stream().filter(l -> l.startsWith("port ")).findFirst()
                            .map(l -> Integer.parseInt(l.substring(5).trim())).orElse(0);
                }, port -> port > 0);
    }

    /** A WebSocket from {@code local} that says hello, then writes {@code chunk} until {@code until}, never reading. */
    private void webSocketFlood(URI ws, String local, byte[] chunk, long until) {
        try {
            RawSocket s = RawSocket.open(ws, local, 4096, Map.of());
            sockets.add(s);
            s.sendText("{\"type\":\"hello\",\"v\":1,\"name\":\"flood\"}");
            while (chunk != null && System.nanoTime() < until) {
                s.sendRaw(chunk);
            }
        } catch (IOException refusedOrClosed) {
            // what the limits are for
        }
    }

    /**
     * HTTP requests pipelined from {@code local} until {@code until}, the answers never read; on a new connection
     * each time the gateway closes one.
     */
    private void httpFlood(URI ws, String local, byte[] requests, long until) {
        while (System.nanoTime() < until) {
            try {
                Socket s = RawSocket.connect(ws, local, 4096);
                sockets.add(s);
                while (System.nanoTime() < until) {
                    s.getOutputStream().write(requests);
                }
            } catch (IOException refusedOrClosed) {
                // what the limits are for
            }
        }
    }

    /** The status line and body of a GET from an address of its own. */
    private static String get(URI ws, String path) throws IOException {
        try (Socket s = RawSocket.connect(ws, "127.0.3.1", 0)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            RawSocket.Upgrade head = RawSocket.readUpgrade(s.getInputStream());
            String body = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return "HTTP/1.1 " + head.status() + "\n" + body;
        }
    }

    private static byte[] join(int n, java.util.function.IntFunction<byte[]> each) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(each.apply(i));
        }
        return out.toByteArray();
    }
}
