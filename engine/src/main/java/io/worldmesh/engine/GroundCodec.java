package io.worldmesh.engine;

import io.worldmesh.engine.session.PropertySchema;
import io.worldmesh.engine.session.SessionData;
import io.worldmesh.engine.session.SessionDataException;
import io.worldmesh.protocol.checksum.Crc32cTrailer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The versioned binary encoding of one cell's entities, as a checkpoint stores them: {@code magic "WG", version,
 * count, entities (id, kind, label, colour, radius, x, z, properties), CRC32C}; version 1 had no radius. Decoding refuses an unknown version, a
 * checksum mismatch, trailing bytes, an oversized record and properties the game does not declare, each with a
 * reason; it never drops an entity.
 */
final class GroundCodec {

    /** 2: entities carry a radius (zones). Version 1 records (points only) are still read. */
    static final int VERSION = 2;
    /** Entities in one cell's record at most; a cell holding more is refused at decoding, never cut short. */
    static final int MAX_ENTITIES = 65_536;
    private static final int MAX_PROPERTY_BYTES = 32 * 1024;

    /** One decoded entity, not placed in any world yet. */
    record Decoded(long id, String kind, String label, String color, double radius, double x, double z,
                   SessionData properties) {
    }

    private GroundCodec() {
    }

    static byte[] encode(List<WorldEntity> entities) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + entities.size() * 48);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte('W');
            out.writeByte('G');
            out.writeByte(VERSION);
            out.writeInt(entities.size());
            for (WorldEntity e : entities) {
                out.writeLong(e.id());
                out.writeUTF(e.kind());
                out.writeUTF(e.label());
                out.writeUTF(e.color());
                out.writeDouble(e.radius());
                out.writeDouble(e.x);
                out.writeDouble(e.z);
                byte[] properties = e.properties().encode();
                out.writeInt(properties.length);
                out.write(properties);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return Crc32cTrailer.append(bytes.toByteArray());
    }

    /** The entities of a record, their properties decoded by {@code schema} (which refuses what it does not declare). */
    static List<Decoded> decode(byte[] encoded, PropertySchema schema) throws SessionDataException {
        if (encoded.length < 11 || encoded[0] != 'W' || encoded[1] != 'G') {
            throw new SessionDataException("not a cell's ground record");
        }
        int version = encoded[2] & 0xff;
        if (version != VERSION && version != 1) {
            throw new SessionDataException("ground record version " + version + " is unknown; this node "
                    + "knows 1 and " + VERSION);
        }
        int body = encoded.length - Crc32cTrailer.BYTES;
        if (!Crc32cTrailer.holds(encoded)) {
            throw new SessionDataException("ground record checksum mismatch");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Arrays.copyOfRange(encoded, 3, body)))) {
            int count = in.readInt();
            if (count < 0 || count > MAX_ENTITIES) {
                throw new SessionDataException("a ground record of " + count + " entities (at most " + MAX_ENTITIES
                        + ")");
            }
            List<Decoded> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long id = in.readLong();
                String kind = in.readUTF();
                String label = in.readUTF();
                String color = in.readUTF();
                double radius = version >= 2 ? in.readDouble() : 0; // version 1 had points only
                if (!(radius >= 0 && radius <= io.worldmesh.api.EntitySpec.MAX_RADIUS_M)) {
                    throw new SessionDataException("entity " + id + " has a radius of " + radius + " m");
                }
                double x = in.readDouble();
                double z = in.readDouble();
                int length = in.readInt();
                if (length < 0 || length > MAX_PROPERTY_BYTES) {
                    throw new SessionDataException("entity " + id + " has " + length + " bytes of properties");
                }
                byte[] properties = in.readNBytes(length);
                if (properties.length != length) {
                    throw new SessionDataException("ground record cut short");
                }
                out.add(new Decoded(id, kind, label, color, radius, x, z, schema.decode(properties)));
            }
            if (in.available() > 0) {
                throw new SessionDataException("trailing bytes after " + count + " entities");
            }
            return out;
        } catch (IOException e) {
            throw new SessionDataException("ground record cut short");
        }
    }
}
