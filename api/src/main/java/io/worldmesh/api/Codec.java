package io.worldmesh.api;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Reads and writes values of one type in a canonical binary form: equal values always give equal bytes, so a
 * checksum over the encoding detects any change to the value.
 *
 * @param <T> the type of value
 */
public interface Codec<T> {

    /** Writes {@code value} to {@code out}. */
    void write(T value, DataOutput out) throws IOException;

    /** Reads a value written by {@link #write}. */
    T read(DataInput in) throws IOException;
}
