package io.worldmesh.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Codecs for the common property types. All are canonical: equal values, equal bytes. */
public final class Codecs {

    /** Longest list a {@link #listOf} codec reads; guards against corrupt lengths allocating huge arrays. */
    public static final int MAX_LIST_SIZE = 1 << 16;

    /** A 32-bit signed integer. */
    public static final Codec<Integer> INT = new Codec<>() {
        @Override public void write(Integer value, DataOutput out) throws IOException { out.writeInt(value); }
        @Override public Integer read(DataInput in) throws IOException { return in.readInt(); }
    };

    /** A 64-bit signed integer. */
    public static final Codec<Long> LONG = new Codec<>() {
        @Override public void write(Long value, DataOutput out) throws IOException { out.writeLong(value); }
        @Override public Long read(DataInput in) throws IOException { return in.readLong(); }
    };

    /** A double, written as its IEEE 754 bits so that the round trip is exact. */
    public static final Codec<Double> DOUBLE = new Codec<>() {
        @Override public void write(Double value, DataOutput out) throws IOException {
            out.writeLong(Double.doubleToLongBits(value));
        }
        @Override public Double read(DataInput in) throws IOException {
            return Double.longBitsToDouble(in.readLong());
        }
    };

    /** A boolean. */
    public static final Codec<Boolean> BOOLEAN = new Codec<>() {
        @Override public void write(Boolean value, DataOutput out) throws IOException { out.writeBoolean(value); }
        @Override public Boolean read(DataInput in) throws IOException { return in.readBoolean(); }
    };

    /** A string in modified UTF-8, at most 65535 bytes. */
    public static final Codec<String> STRING = new Codec<>() {
        @Override public void write(String value, DataOutput out) throws IOException { out.writeUTF(value); }
        @Override public String read(DataInput in) throws IOException { return in.readUTF(); }
    };

    private Codecs() {
    }

    /** A list of values, each with {@code element}; read back as an unmodifiable list. */
    public static <T> Codec<List<T>> listOf(Codec<T> element) {
        return new Codec<>() {
            @Override public void write(List<T> value, DataOutput out) throws IOException {
                out.writeInt(value.size());
                for (T t : value) {
                    element.write(t, out);
                }
            }

            @Override public List<T> read(DataInput in) throws IOException {
                int size = in.readInt();
                if (size < 0 || size > MAX_LIST_SIZE) {
                    throw new IOException("list length " + size + " out of range");
                }
                List<T> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(element.read(in));
                }
                return List.copyOf(list);
            }
        };
    }
}
