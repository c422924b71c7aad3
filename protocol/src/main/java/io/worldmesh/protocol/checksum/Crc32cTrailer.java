package io.worldmesh.protocol.checksum;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A CRC32C of a record's body written after it, big-endian, as the player state and ground records carry it: what
 * detects a record corrupted in transit or in the store.
 */
public final class Crc32cTrailer {

    public static final int BYTES = 4;

    private Crc32cTrailer() {
    }

    /** {@code body} followed by its checksum. */
    public static byte[] append(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        int c = (int) crc.getValue();
        byte[] out = Arrays.copyOf(body, body.length + BYTES);
        out[body.length] = (byte) (c >>> 24);
        out[body.length + 1] = (byte) (c >>> 16);
        out[body.length + 2] = (byte) (c >>> 8);
        out[body.length + 3] = (byte) c;
        return out;
    }

    /** True when {@code encoded} ends with the checksum of what comes before it. */
    public static boolean holds(byte[] encoded) {
        if (encoded.length < BYTES) {
            return false;
        }
        int body = encoded.length - BYTES;
        CRC32C crc = new CRC32C();
        crc.update(encoded, 0, body);
        int given = ((encoded[body] & 0xff) << 24) | ((encoded[body + 1] & 0xff) << 16)
                | ((encoded[body + 2] & 0xff) << 8) | (encoded[body + 3] & 0xff);
        return (int) crc.getValue() == given;
    }
}
