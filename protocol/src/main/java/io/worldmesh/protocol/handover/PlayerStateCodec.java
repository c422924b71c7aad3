package io.worldmesh.protocol.handover;

import io.worldmesh.protocol.checksum.Crc32cTrailer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32C;

/**
 * The versioned binary encoding of a {@link PlayerState}: {@code magic "WP", version, fields, CRC32C}. Decoding
 * refuses an unknown version, a checksum mismatch, trailing bytes and anything oversized, each with a reason; it
 * never drops a field. The checksum covers every byte before it.
 */
public final class PlayerStateCodec {

    public static final int VERSION = 1;
    /** The largest session data accepted; far above what any declared property list needs. */
    public static final int MAX_SESSION_BYTES = 32 * 1024;
    private static final int MAX_STRING = 256;
    private static final byte M0 = 'W';
    private static final byte M1 = 'P';

    private PlayerStateCodec() {
    }

    public static byte[] encode(PlayerState s) {
        return Crc32cTrailer.append(body(s));
    }

    static long checksumOf(PlayerState s) {
        CRC32C crc = new CRC32C();
        crc.update(body(s));
        return crc.getValue();
    }

    private static byte[] body(PlayerState s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + s.sessionData().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(M0);
            out.writeByte(M1);
            out.writeByte(VERSION);
            out.writeUTF(s.playerId());
            out.writeUTF(s.name());
            out.writeUTF(s.color());
            for (double d : new double[] {s.x(), s.z(), s.vx(), s.vz(), s.yaw(), s.moveX(), s.moveZ()}) {
                out.writeDouble(d);
            }
            out.writeLong(s.lastAppliedSeq());
            out.writeLong(s.appliedInputs());
            out.writeLong(s.cellEnteredTick());
            out.writeLong(s.tick());
            out.writeLong(s.epoch());
            byte[] session = s.sessionData();
            out.writeInt(session.length);
            out.write(session);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static StateDecoded decode(byte[] encoded) {
        if (encoded.length < 3 + 4 || encoded[0] != M0 || encoded[1] != M1) {
            return new StateDecoded.Refused(RejectReason.MALFORMED, "not an encoded player state");
        }
        if (encoded[2] != VERSION) {
            return new StateDecoded.Refused(RejectReason.UNKNOWN_VERSION,
                    "player state version " + (encoded[2] & 0xff) + " is unknown; this node knows " + VERSION);
        }
        int bodyLength = encoded.length - Crc32cTrailer.BYTES;
        if (!Crc32cTrailer.holds(encoded)) {
            return new StateDecoded.Refused(RejectReason.CHECKSUM_MISMATCH, "player state checksum mismatch");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded, 3, bodyLength - 3))) {
            String id = readString(in);
            String name = readString(in);
            String color = readString(in);
            double[] d = new double[7];
            for (int i = 0; i < d.length; i++) {
                d[i] = in.readDouble();
            }
            long seq = in.readLong();
            long applied = in.readLong();
            long entered = in.readLong();
            long tick = in.readLong();
            long epoch = in.readLong();
            int length = in.readInt();
            if (length < 0 || length > MAX_SESSION_BYTES || length != in.available()) {
                return new StateDecoded.Refused(RejectReason.MALFORMED, "session data length " + length
                        + " does not fit (limit " + MAX_SESSION_BYTES + " bytes, no trailing bytes)");
            }
            byte[] session = in.readNBytes(length);
            return new StateDecoded.Ok(new PlayerState(id, name, color, d[0], d[1], d[2], d[3], d[4], d[5], d[6],
                    seq, applied, entered, tick, epoch, session));
        } catch (IOException | IllegalArgumentException e) {
            return new StateDecoded.Refused(RejectReason.MALFORMED, "corrupt player state: " + e.getMessage());
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        String s = in.readUTF();
        if (s.length() > MAX_STRING) {
            throw new IOException("string longer than " + MAX_STRING);
        }
        return s;
    }
}
