package io.worldmesh.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 for tests: forwards every connection to a local port and, on {@link #cutAll()}, breaks
 * every forwarded connection at once, as a crashed gateway or a broken network would, while still taking new ones.
 */
final class CuttableProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = ipv4Loopback();
    private static final int MAX_REQUEST_LINE = 8192;

    private final int targetPort;
    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Listens on a free port of 127.0.0.1 at once; connections go to 127.0.0.1:{@code targetPort}. */
    CuttableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, LOOPBACK);
        daemon("cuttable-proxy-accept", this::acceptLoop).start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The proxy's own address as a page's origin: a page loaded from here opens its WebSocket here too. */
    String httpUrl() {
        return "http://" + LOOPBACK.getHostAddress() + ":" + port() + "/";
    }

    /** The first request line of every connection so far (e.g. {@code GET /ws HTTP/1.1}), in order. */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** Connections whose first request was for {@code path} (its query aside). */
    long connectionsTo(String path) {
        return requestLines.stream()
                .map(line -> line.split(" "))
                .filter(parts -> parts.length >= 2)
                .map(parts -> parts[1].replaceFirst("\\?.*", ""))
                .filter(path::equals)
                .count();
    }

    /** Resets both sides of every connection now (RST, no FIN): neither end can tell it from a crash. */
    void cutAll() {
        links.forEach(Link::abort);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cutAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream;
            try {
                upstream = new Socket(LOOPBACK, targetPort);
            } catch (IOException e) {
                abort(client); // the target is down: the client sees a reset, as it would without the proxy
                continue;
            }
            Link link = new Link(client, upstream);
            links.add(link);
            if (closed) { // raced with close(): do not leave this one behind
                link.abort();
                return;
            }
            daemon("cuttable-proxy-up-" + port(), () -> link.copy(client, upstream, true)).start();
            daemon("cuttable-proxy-down-" + port(), () -> link.copy(upstream, client, false)).start();
        }
    }

    /** One forwarded connection: the browser's socket and ours to the target, copied both ways. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final AtomicInteger directionsOpen = new AtomicInteger(2);

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        /** Copies until end of stream, then half-closes {@code to} as {@code from} did; any error breaks both. */
        void copy(Socket from, Socket to, boolean recordRequestLine) {
            byte[] buf = new byte[16 * 1024];
            StringBuilder line = recordRequestLine ? new StringBuilder() : null;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (line != null) {
                        line = noteRequestLine(line, buf, n);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
                if (directionsOpen.decrementAndGet() == 0) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    links.remove(this);
                }
            } catch (IOException e) {
                abort();
            }
        }

        /** Collects the first line; returns null once it is recorded (or too long to be a request line). */
        private StringBuilder noteRequestLine(StringBuilder line, byte[] buf, int n) {
            String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            int end = chunk.indexOf("\r\n");
            line.append(end < 0 ? chunk : chunk.substring(0, end));
            if (end >= 0) {
                requestLines.add(line.toString());
                return null;
            }
            return line.length() > MAX_REQUEST_LINE ? null : line;
        }

        void abort() {
            CuttableProxy.abort(client);
            CuttableProxy.abort(upstream);
            links.remove(this);
        }
    }

    /** Closes with SO_LINGER 0, so the peer gets a reset rather than an orderly end of stream. */
    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed: nothing to reset
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** 127.0.0.1 itself, whatever the JVM prefers: the world under test listens there. */
    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
