package io.worldmesh.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay for tests that can go silent: after {@link #silence()}, the connections open then stay open but
 * nothing gets through them either way, and nobody is told, as on a half-open connection. Later connections pass.
 */
final class SilentRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private volatile int silentUpTo; // connections numbered up to this one are silent
    private int accepted;

    SilentRelay(int target) throws IOException {
        this.target = target;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofPlatform().daemon().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every connection open now goes silent. */
    void silence() {
        silentUpTo = accepted;
    }

    private void accept() {
        try {
            while (true) {
                Socket in = server.accept();
                int n = ++accepted;
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                Thread.ofVirtual().start(() -> pump(n, in, out));
                Thread.ofVirtual().start(() -> pump(n, out, in));
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private void pump(int n, Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            int read;
            while ((read = i.read(buf)) >= 0) {
                if (n > silentUpTo) {
                    o.write(buf, 0, read);
                }
            }
        } catch (IOException gone) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
