package io.worldmesh.protocol.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small, allocation-free JSON writer into a growable byte buffer, for messages sent every tick to every
 * player. It writes what it is told: callers place commas and braces. Numbers with fractions are written with
 * a fixed number of decimals, which is all a client needs and much cheaper than shortest-round-trip printing.
 */
public final class JsonOut {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long[] POW10 = {1, 10, 100, 1000, 10000, 100000, 1000000};

    private byte[] buf;
    private int len;

    public JsonOut(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public JsonOut() {
        this(256);
    }

    public int length() {
        return len;
    }

    public void reset() {
        len = 0;
    }

    /** Truncates to an earlier {@link #length()}. */
    public void truncate(int length) {
        len = length;
    }

    public byte[] buffer() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    public JsonOut raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends ASCII text as is: keys with their quotes, punctuation. */
    public JsonOut raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    public JsonOut raw(byte[] bytes, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(bytes, from, buf, len, n);
        len += n;
        return this;
    }

    public JsonOut raw(byte[] bytes) {
        return raw(bytes, 0, bytes.length);
    }

    /** Appends {@code "key":}. The key must be plain ASCII needing no escapes. */
    public JsonOut key(String key) {
        ensure(key.length() + 3);
        buf[len++] = '"';
        raw(key);
        buf[len++] = '"';
        buf[len++] = ':';
        return this;
    }

    /** Appends a quoted, escaped JSON string. */
    public JsonOut string(String s) {
        ensure(s.length() + 2);
        buf[len++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                ensure(1);
                buf[len++] = (byte) c;
            } else if (c == '"' || c == '\\') {
                ensure(2);
                buf[len++] = '\\';
                buf[len++] = (byte) c;
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    utf8(Character.toCodePoint(c, s.charAt(++i)));
                } else {
                    ensure(6);
                    buf[len++] = '\\';
                    buf[len++] = 'u';
                    buf[len++] = HEX[(c >> 12) & 0xf];
                    buf[len++] = HEX[(c >> 8) & 0xf];
                    buf[len++] = HEX[(c >> 4) & 0xf];
                    buf[len++] = HEX[c & 0xf];
                }
            } else {
                utf8(c);
            }
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    public JsonOut number(long v) {
        ensure(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return raw(Long.toString(v));
            }
            buf[len++] = '-';
            v = -v;
        }
        if (v < 10) {
            buf[len++] = (byte) ('0' + v);
            return this;
        }
        int start = len;
        while (v > 0) {
            buf[len++] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** Writes {@code v} rounded to {@code decimals} (0..6) places, trailing zeros dropped; non-finite as 0. */
    public JsonOut number(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return number(0L);
        }
        long scale = POW10[decimals];
        long scaled = Math.round(v * scale);
        if (scaled < 0) {
            ensure(1);
            buf[len++] = '-';
            scaled = -scaled;
        }
        long whole = scaled / scale;
        long frac = scaled % scale;
        number(whole);
        if (frac != 0) {
            int digits = decimals;
            while (frac % 10 == 0) {
                frac /= 10;
                digits--;
            }
            ensure(digits + 1);
            buf[len++] = '.';
            for (int i = digits - 1; i >= 0; i--) {
                buf[len + i] = (byte) ('0' + frac % 10);
                frac /= 10;
            }
            len += digits;
        }
        return this;
    }

    public JsonOut bool(boolean b) {
        return raw(b ? "true" : "false");
    }

    private void utf8(int cp) {
        ensure(4);
        if (cp < 0x80) {
            buf[len++] = (byte) cp;
        } else if (cp < 0x800) {
            buf[len++] = (byte) (0xc0 | (cp >> 6));
            buf[len++] = (byte) (0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            buf[len++] = (byte) (0xe0 | (cp >> 12));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            buf[len++] = (byte) (0x80 | (cp & 0x3f));
        } else {
            buf[len++] = (byte) (0xf0 | (cp >> 18));
            buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
            buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
            buf[len++] = (byte) (0x80 | (cp & 0x3f));
        }
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
