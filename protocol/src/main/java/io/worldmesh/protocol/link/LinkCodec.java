package io.worldmesh.protocol.link;

import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.trace.TraceParent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The binary framing of the gateway-node link: one WebSocket binary message per frame, {@code version, kind,
 * fields}. Decoding is strict and bounded: an unknown version or kind, a truncated frame, trailing bytes or a
 * field over its limit is refused with a reason.
 *
 * <p>Version {@value #TRACED_VERSION} is version {@value #VERSION} with one more field at the end of the frame: its
 * trace context, a length byte and that many ASCII bytes (a W3C {@code traceparent}, {@link TraceParent}). A
 * frame is written in version 2 only when it carries a trace context (HOLD and ROUTE may), so every other frame
 * stays byte for byte version 1; both versions are read. A trace context that is not a valid 55-character
 * {@code traceparent} is read past (at most 255 bytes) and ignored: the frame still counts, without it. Gateways
 * read version 2 before nodes write it: upgrade gateways first.
 *
 * <p>Version {@value #BATCH_VERSION} is a batch: several version 1 or 2 frames in one message, each behind its
 * length (an unsigned 32-bit integer), at most {@value #MAX_BATCH_FRAMES} of them. A node writes all the frames one
 * input (a tick, a COMMIT) gave a gateway as one message, so that a tick's snapshots cost the link one write and
 * one read, not one per player. It does so only for a gateway that asked for batches when it opened the link
 * ({@code /link?gateway=ID&batch=1}), so either side may be upgraded first. A frame in a batch that does not
 * decode is refused alone; a batch whose lengths do not add up is refused from that point on.
 */
public final class LinkCodec {

    public static final int VERSION = 1;
    /** Version 1 plus a trailing trace context. */
    public static final int TRACED_VERSION = 2;
    /** Several version 1 or 2 frames in one message. */
    public static final int BATCH_VERSION = 3;
    /** Frames in one batch, at most; a writer starts a new batch before this. */
    public static final int MAX_BATCH_FRAMES = 4096;
    /** A client message inside a frame (a snapshot, at most); far above today's largest neighbourhood. */
    public static final int MAX_PAYLOAD = 1 << 20;
    private static final int MAX_STRING = 1024;
    private static final int MAX_ACTION_FIELDS = 32;

    private LinkCodec() {
    }

    public static byte[] encode(ToNode frame) {
        return write(out -> {
            switch (frame) {
                case ToNode.Attach a -> {
                    out.writeByte(1);
                    out.writeLong(a.connectionId());
                    out.writeUTF(a.name());
                    nullable(out, a.resumePlayerId());
                }
                case ToNode.Input i -> {
                    out.writeByte(2);
                    out.writeUTF(i.playerId());
                    input(out, i.input());
                }
                case ToNode.Detach d -> {
                    out.writeByte(3);
                    out.writeUTF(d.playerId());
                    out.writeLong(d.connectionId());
                }
                case ToNode.RouteAck r -> {
                    out.writeByte(4);
                    out.writeUTF(r.playerId());
                    out.writeLong(r.epoch());
                    out.writeLong(r.connectionId());
                }
                case ToNode.Echo e -> {
                    out.writeByte(5);
                    out.writeLong(e.id());
                }
            }
        });
    }

    public static LinkDecoded<ToNode> decodeToNode(byte[] bytes) {
        return read(bytes, 0, bytes.length, (frame, trace) -> frame, in -> switch (in.readByte()) {
            case 1 -> new ToNode.Attach(in.readLong(), string(in), nullableString(in));
            case 2 -> new ToNode.Input(string(in), input(in));
            case 3 -> new ToNode.Detach(string(in), in.readLong());
            case 4 -> new ToNode.RouteAck(string(in), in.readLong(), in.readLong());
            case 5 -> new ToNode.Echo(in.readLong());
            default -> throw new IOException("unknown frame kind");
        });
    }

    public static byte[] encode(ToGateway frame) {
        String trace = switch (frame) {
            case ToGateway.Hold h -> h.traceparent();
            case ToGateway.Route r -> r.traceparent();
            default -> null;
        };
        return write(trace, out -> {
            switch (frame) {
                case ToGateway.Attached a -> {
                    out.writeByte(1);
                    out.writeLong(a.connectionId());
                    out.writeUTF(a.playerId());
                    out.writeBoolean(a.resumed());
                    out.writeLong(a.lastAppliedSeq());
                    out.writeLong(a.epoch());
                    worldInfo(out, a.world());
                }
                case ToGateway.Refused r -> {
                    out.writeByte(2);
                    out.writeLong(r.connectionId());
                    out.writeUTF(r.reason());
                }
                case ToGateway.ToClient c -> {
                    out.writeByte(3);
                    out.writeUTF(c.playerId());
                    out.writeBoolean(c.droppable());
                    out.writeLong(c.tick());
                    out.writeLong(c.lastAppliedSeq());
                    out.writeInt(c.json().length);
                    out.write(c.json());
                }
                case ToGateway.Hold h -> {
                    out.writeByte(4);
                    out.writeUTF(h.playerId());
                    out.writeLong(h.epoch());
                }
                case ToGateway.Release r -> {
                    out.writeByte(5);
                    out.writeUTF(r.playerId());
                    out.writeLong(r.epoch());
                    out.writeLong(r.lastAppliedSeq());
                }
                case ToGateway.Route r -> {
                    out.writeByte(6);
                    out.writeUTF(r.playerId());
                    out.writeLong(r.epoch());
                    out.writeLong(r.lastAppliedSeq());
                }
                case ToGateway.EchoReply e -> {
                    out.writeByte(7);
                    out.writeLong(e.id());
                }
                case ToGateway.Gone g -> {
                    out.writeByte(8);
                    out.writeUTF(g.playerId());
                    out.writeLong(g.epoch());
                    out.writeLong(g.connectionId());
                    out.writeUTF(g.reason());
                }
            }
        });
    }

    public static LinkDecoded<ToGateway> decodeToGateway(byte[] bytes) {
        return decodeToGateway(bytes, 0, bytes.length);
    }

    /**
     * Every frame of one message to {@code sink}, in order: the frame itself for version 1 or 2, each frame of a
     * version {@value #BATCH_VERSION} batch. A batch past {@value #MAX_BATCH_FRAMES} frames, or one whose lengths
     * run past its end, ends with one {@link LinkDecoded.Invalid}; the frames before it still count.
     */
    public static void decodeAllToGateway(byte[] bytes, Consumer<LinkDecoded<ToGateway>> sink) {
        if (bytes.length == 0 || bytes[0] != BATCH_VERSION) {
            sink.accept(decodeToGateway(bytes));
            return;
        }
        int at = 1;
        int frames = 0;
        while (at < bytes.length) {
            if (++frames > MAX_BATCH_FRAMES) {
                sink.accept(new LinkDecoded.Invalid<>("a batch of more than " + MAX_BATCH_FRAMES + " frames"));
                return;
            }
            long length = bytes.length - at < 4 ? -1 : readUnsignedInt(bytes, at);
            if (length < 0 || length > bytes.length - at - 4L) {
                sink.accept(new LinkDecoded.Invalid<>("a batch's frame runs past its end"));
                return;
            }
            sink.accept(decodeToGateway(bytes, at + 4, (int) length));
            at += 4 + (int) length;
        }
    }

    /** One batch of {@code frames} (each a version 1 or 2 frame as {@link #encode(ToGateway)} wrote it). */
    public static byte[] batch(List<byte[]> frames) {
        if (frames.size() > MAX_BATCH_FRAMES) {
            throw new IllegalArgumentException(frames.size() + " frames do not fit one batch");
        }
        long size = 1;
        for (byte[] f : frames) {
            size += 4 + f.length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + size + " bytes");
        }
        byte[] out = new byte[(int) size];
        out[0] = BATCH_VERSION;
        int at = 1;
        for (byte[] f : frames) {
            out[at] = (byte) (f.length >>> 24);
            out[at + 1] = (byte) (f.length >>> 16);
            out[at + 2] = (byte) (f.length >>> 8);
            out[at + 3] = (byte) f.length;
            System.arraycopy(f, 0, out, at + 4, f.length);
            at += 4 + f.length;
        }
        return out;
    }

    private static long readUnsignedInt(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    private static LinkDecoded<ToGateway> decodeToGateway(byte[] bytes, int offset, int frameLength) {
        return read(bytes, offset, frameLength, LinkCodec::withTrace, in -> switch (in.readByte()) {
            case 1 -> new ToGateway.Attached(in.readLong(), string(in), in.readBoolean(), in.readLong(), in.readLong(),
                    worldInfo(in));
            case 2 -> new ToGateway.Refused(in.readLong(), string(in));
            case 3 -> {
                String player = string(in);
                boolean droppable = in.readBoolean();
                long tick = in.readLong();
                long seq = in.readLong();
                int length = in.readInt();
                if (length < 0 || length > MAX_PAYLOAD || length > in.available()) {
                    throw new IOException("client message of " + length + " bytes does not fit");
                }
                yield new ToGateway.ToClient(player, in.readNBytes(length), droppable, tick, seq);
            }
            case 4 -> new ToGateway.Hold(string(in), in.readLong());
            case 5 -> new ToGateway.Release(string(in), in.readLong(), in.readLong());
            case 6 -> new ToGateway.Route(string(in), in.readLong(), in.readLong());
            case 7 -> new ToGateway.EchoReply(in.readLong());
            case 8 -> new ToGateway.Gone(string(in), in.readLong(), in.readLong(), string(in));
            default -> throw new IOException("unknown frame kind");
        });
    }

    private static ToGateway withTrace(ToGateway frame, String traceparent) {
        return switch (frame) {
            case ToGateway.Hold h -> h.withTraceparent(traceparent);
            case ToGateway.Route r -> r.withTraceparent(traceparent);
            default -> frame; // no trace context in this kind: read past and dropped
        };
    }

    // ---- parts

    private static void input(DataOutputStream out, ClientMessage.Input i) throws IOException {
        out.writeLong(i.seq());
        out.writeDouble(i.move().x());
        out.writeDouble(i.move().z());
        out.writeDouble(i.yaw());
        out.writeBoolean(i.pos() != null);
        if (i.pos() != null) {
            out.writeDouble(i.pos().x());
            out.writeDouble(i.pos().z());
        }
        out.writeBoolean(i.action() != null);
        if (i.action() != null) {
            out.writeUTF(i.action().name());
            out.writeByte(i.action().fields().size());
            for (Map.Entry<String, Object> f : i.action().fields().entrySet()) {
                out.writeUTF(f.getKey());
                switch (f.getValue()) {
                    case String s -> { out.writeByte('s'); out.writeUTF(s); }
                    case Boolean b -> { out.writeByte('b'); out.writeBoolean(b); }
                    case Number n -> { out.writeByte('n'); out.writeDouble(n.doubleValue()); }
                    default -> throw new IllegalArgumentException("action field " + f.getKey() + " is not flat");
                }
            }
        }
    }

    private static ClientMessage.Input input(DataInputStream in) throws IOException {
        long seq = in.readLong();
        Vec2 move = new Vec2(in.readDouble(), in.readDouble());
        double yaw = in.readDouble();
        Vec2 pos = in.readBoolean() ? new Vec2(in.readDouble(), in.readDouble()) : null;
        ClientMessage.GameAction action = null;
        if (in.readBoolean()) {
            String name = string(in);
            int n = in.readUnsignedByte();
            if (n > MAX_ACTION_FIELDS) {
                throw new IOException("too many action fields");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) {
                String key = string(in);
                Object value = switch (in.readByte()) {
                    case 's' -> string(in);
                    case 'b' -> in.readBoolean();
                    case 'n' -> in.readDouble();
                    default -> throw new IOException("unknown action field type");
                };
                fields.put(key, value);
            }
            action = new ClientMessage.GameAction(name, Map.copyOf(fields));
        }
        return new ClientMessage.Input(seq, move, yaw, pos, action);
    }

    private static void worldInfo(DataOutputStream out, WorldInfo w) throws IOException {
        out.writeUTF(w.nodeId());
        out.writeUTF(w.game());
        out.writeInt(w.tickRate());
        out.writeInt(w.cellsX());
        out.writeInt(w.cellsZ());
        out.writeDouble(w.cellSize());
        out.writeDouble(w.maxSpeed());
        out.writeShort(w.actions().size());
        for (Map.Entry<String, Map<String, String>> a : w.actions().entrySet()) {
            out.writeUTF(a.getKey());
            out.writeShort(a.getValue().size());
            for (Map.Entry<String, String> f : a.getValue().entrySet()) {
                out.writeUTF(f.getKey());
                out.writeUTF(f.getValue());
            }
        }
        out.writeShort(w.nodes().size());
        for (String node : w.nodes()) {
            out.writeUTF(node);
        }
        out.writeInt(w.owners().length);
        for (int owner : w.owners()) {
            out.writeShort(owner);
        }
    }

    private static WorldInfo worldInfo(DataInputStream in) throws IOException {
        String node = string(in);
        String game = string(in);
        int tickRate = in.readInt();
        int cx = in.readInt();
        int cz = in.readInt();
        double size = in.readDouble();
        double speed = in.readDouble();
        int actions = in.readUnsignedShort();
        if (actions > 256) {
            throw new IOException("too many actions");
        }
        Map<String, Map<String, String>> map = new LinkedHashMap<>();
        for (int i = 0; i < actions; i++) {
            String name = string(in);
            int fields = in.readUnsignedShort();
            if (fields > MAX_ACTION_FIELDS) {
                throw new IOException("too many action fields");
            }
            Map<String, String> f = new LinkedHashMap<>();
            for (int k = 0; k < fields; k++) {
                f.put(string(in), string(in));
            }
            map.put(name, f);
        }
        int nodes = in.readUnsignedShort();
        java.util.List<String> names = new java.util.ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            names.add(string(in));
        }
        int cells = in.readInt();
        if (cells < 0 || (long) cells * 2 > in.available()) {
            throw new IOException("cell owners do not fit");
        }
        int[] owners = new int[cells];
        for (int i = 0; i < cells; i++) {
            owners[i] = in.readUnsignedShort();
        }
        return new WorldInfo(node, game, tickRate, cx, cz, size, speed, map, names, owners);
    }

    /** A length byte and that many bytes; null unless they are a valid {@code traceparent}. */
    private static String traceContext(DataInputStream in) throws IOException {
        int n = in.readUnsignedByte();
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("truncated trace context");
        }
        return n == TraceParent.LENGTH ? TraceParent.orNull(new String(b, StandardCharsets.US_ASCII)) : null;
    }

    private static void nullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String nullableString(DataInputStream in) throws IOException {
        return in.readBoolean() ? string(in) : null;
    }

    private static String string(DataInputStream in) throws IOException {
        String s = in.readUTF();
        if (s.length() > MAX_STRING) {
            throw new IOException("string longer than " + MAX_STRING);
        }
        return s;
    }

    @FunctionalInterface
    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        return write(null, w);
    }

    /** Version 1, or version 2 with {@code traceparent} at the end when there is a valid one. */
    private static byte[] write(String traceparent, Writer w) {
        String trace = TraceParent.orNull(traceparent);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(trace == null ? VERSION : TRACED_VERSION);
            w.write(out);
            if (trace != null) {
                out.writeByte(trace.length());
                out.write(trace.getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> LinkDecoded<T> read(byte[] bytes, int offset, int length, BiFunction<T, String, T> withTrace,
                                           Reader<T> r) {
        if (length == 0 || (bytes[offset] != VERSION && bytes[offset] != TRACED_VERSION)) {
            return new LinkDecoded.Invalid<>("unknown link frame version");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset + 1, length - 1))) {
            T frame = r.read(in);
            if (bytes[offset] == TRACED_VERSION) {
                String trace = traceContext(in);
                if (trace != null) {
                    frame = withTrace.apply(frame, trace);
                }
            }
            if (in.available() != 0) {
                return new LinkDecoded.Invalid<>("trailing bytes after the frame");
            }
            return new LinkDecoded.Ok<>(frame);
        } catch (IOException | RuntimeException e) {
            return new LinkDecoded.Invalid<>("corrupt link frame: " + e.getMessage());
        }
    }
}
