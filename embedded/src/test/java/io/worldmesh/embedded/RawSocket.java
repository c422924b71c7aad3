package io.worldmesh.embedded;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A WebSocket client on a bare {@link Socket}, for what no WebSocket library lets a client do: offer extensions
 * and then break their rules, set frame bits by hand, or never read what the server sends. It speaks just enough
 * of RFC 6455 for that: the upgrade, masked frames out, and unmasked frames in.
 */
final class RawSocket implements AutoCloseable {

    /** The server's answer to the upgrade request; header names in lower case. */
    record Upgrade(int status, Map<String, String> headers) {
    }

    /** One frame from the server: its first byte (FIN, RSV bits, opcode) and its payload. */
    record Frame(int head, byte[] payload) {
        int opcode() {
            return head & 0x0f;
        }

        /** The status code of a close frame, or 1005 (none given). */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    static final int FIN = 0x80;
    static final int RSV1 = 0x40;
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final Upgrade upgrade;

    private RawSocket(Socket socket, Upgrade upgrade) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        this.upgrade = upgrade;
    }

    /**
     * Connects and upgrades to a WebSocket at {@code uri}. {@code receiveBufferBytes} (0 for the system's default)
     * is set before connecting, so that it bounds the TCP window the server may fill; {@code extensions} (or null)
     * goes into {@code Sec-WebSocket-Extensions}.
     */
    static RawSocket open(URI uri, int receiveBufferBytes, String extensions) throws IOException {
        return open(uri, null, receiveBufferBytes,
                extensions == null ? Map.of() : Map.of("Sec-WebSocket-Extensions", extensions));
    }

    /**
     * As {@link #open(URI, int, String)}, from {@code localAddress} (null for the system's choice; any 127.x.y.z on
     * Linux) and with {@code headers} added to the upgrade request.
     */
    static RawSocket open(URI uri, String localAddress, int receiveBufferBytes, Map<String, String> headers)
            throws IOException {
        Socket socket = connect(uri, localAddress, receiveBufferBytes);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        StringBuilder request = new StringBuilder("GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        return new RawSocket(socket, readUpgrade(socket.getInputStream()));
    }

    /** A bare TCP connection to {@code uri}'s host and port, nothing sent. */
    static Socket connect(URI uri, String localAddress, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) READ_TIMEOUT.toMillis());
        return socket;
    }

    /** The status line and headers of one HTTP response; its body, if any, is left unread. */
    static Upgrade readUpgrade(InputStream in) throws IOException {
        // Byte by byte up to the blank line, so that no frame after the headers is read into a buffer here.
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Upgrade(status, headers);
    }

    Upgrade upgrade() {
        return upgrade;
    }

    /** The body of a response that refused the upgrade, as long as its content-length says. */
    String refusal() throws IOException {
        byte[] body = new byte[Integer.parseInt(upgrade.headers().getOrDefault("content-length", "0"))];
        in.readFully(body);
        return new String(body, StandardCharsets.UTF_8);
    }

    void sendText(String text) throws IOException {
        send(FIN | TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one frame with first byte {@code head} (FIN, RSV bits, opcode), masked as a client must. */
    void send(int head, byte[] payload) throws IOException {
        out.write(frame(head, payload));
    }

    /** Sends bytes as they are, e.g. many frames from {@link #frame} joined into one write. */
    void sendRaw(byte[] frames) throws IOException {
        out.write(frames);
    }

    /** The bytes of one masked client frame. */
    static byte[] frame(int head, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(head);
        int n = payload.length;
        if (n < 126) {
            f.write(0x80 | n);
        } else if (n < 65536) {
            f.write(0x80 | 126);
            f.write(n >>> 8);
            f.write(n);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) n >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < n; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        return f.toByteArray();
    }

    /** The next frame from the server, or null once the server has closed the TCP connection. */
    Frame read() throws IOException {
        int head;
        try {
            head = in.readUnsignedByte();
        } catch (EOFException closed) {
            return null;
        }
        int len7 = in.readUnsignedByte() & 0x7f;
        long n = len7 < 126 ? len7 : len7 == 126 ? in.readUnsignedShort() : in.readLong();
        byte[] payload = new byte[Math.toIntExact(n)];
        in.readFully(payload);
        return new Frame(head, payload);
    }

    /**
     * Reads frames until a close frame (returned) or the end of the connection (null); fails when neither comes
     * within the read timeout. {@code seen} gets the text of every text frame before it.
     */
    Frame readUntilClose(Consumer<String> seen) throws IOException {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        try {
            Frame f;
            while ((f = read()) != null) {
                if (f.opcode() == CLOSE) {
                    return f;
                }
                if (f.opcode() == TEXT) {
                    seen.accept(f.text());
                }
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("frames still coming");
                }
            }
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no close from the server within " + READ_TIMEOUT.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
