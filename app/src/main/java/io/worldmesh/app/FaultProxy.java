package io.worldmesh.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of one process, which misbehaves on demand: the network faults of {@code chaos}.
 * Every connection to {@link #port()} is forwarded to the target port, byte for byte, until a fault is set:
 * <ul>
 *   <li>{@link Mode#DELAY}: every chunk waits before it is forwarded, both ways (a congested or distant link);</li>
 *   <li>{@link Mode#DROP}: the process is unreachable: connections are reset and new ones refused at once;</li>
 *   <li>{@link Mode#HALF_OPEN}: connections stay open but nothing gets through either way, and no one is told (a
 *   peer that died without a FIN or RST, a cable pulled); when the fault ends they are reset, as a TCP timeout
 *   would in the end;</li>
 * </ul>
 * and {@link #resetAll()} resets every connection once (RST), as a restarted middlebox does. One platform thread
 * accepts; each connection has two virtual threads, one per direction.
 */
final class FaultProxy implements AutoCloseable {

    enum Mode {
        PASS, DELAY, DROP, HALF_OPEN;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int CHUNK = 16 * 1024;

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMillis;
    private volatile boolean closed;

    FaultProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        Thread.ofPlatform().daemon().name("fault-proxy-" + name).start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    Mode mode() {
        return mode;
    }

    /** Every chunk waits {@code delay} before it goes on, from now until {@link #pass()}. */
    void delay(Duration delay) {
        delayMillis = delay.toMillis();
        mode = Mode.DELAY;
    }

    /** The process is unreachable until {@link #pass()}: what is open is reset, what comes is refused. */
    void drop() {
        mode = Mode.DROP;
        resetAll();
    }

    /** Nothing gets through, silently, until {@link #pass()}, which resets the connections stuck meanwhile. */
    void halfOpen() {
        mode = Mode.HALF_OPEN;
    }

    /** Back to forwarding; connections stuck by a half-open fault are reset. */
    void pass() {
        Mode was = mode;
        mode = Mode.PASS;
        if (was == Mode.HALF_OPEN) {
            resetAll();
        }
    }

    /** Resets every connection now (both sides get an RST); new ones are taken as the mode says. */
    void resetAll() {
        for (Socket s : sockets) {
            reset(s);
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (mode == Mode.DROP) {
                reset(client);
                continue;
            }
            Thread.ofVirtual().name("fault-proxy-" + name + "-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            reset(client);
            closeQuietly(upstream);
            return;
        }
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[CHUNK];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                switch (mode) {
                    case PASS -> out.write(buf, 0, n);
                    case DELAY -> {
                        Thread.sleep(delayMillis);
                        out.write(buf, 0, n);
                    }
                    case HALF_OPEN, DROP -> { } // swallowed: the other side hears nothing
                }
            }
        } catch (IOException | InterruptedException e) {
            // reset, closed, or the other side went: end both directions
        } finally {
            sockets.remove(from);
            sockets.remove(to);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with an RST, not a FIN
        } catch (SocketException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        resetAll();
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
