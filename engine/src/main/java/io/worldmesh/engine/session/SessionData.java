package io.worldmesh.engine.session;

import io.worldmesh.api.Property;

import java.util.Objects;

/** One player's values of its game's declared properties. Values are immutable, so copies are shallow. */
public final class SessionData {

    private final PropertySchema schema;
    private final Object[] values;

    SessionData(PropertySchema schema, Object[] values) {
        this.schema = schema;
        this.values = values;
    }

    public <T> T get(Property<T> property) {
        @SuppressWarnings("unchecked")
        T value = (T) values[schema.indexOf(property)];
        return value;
    }

    public <T> void set(Property<T> property, T value) {
        values[schema.indexOf(property)] = Objects.requireNonNull(value, property.name());
    }

    /** The canonical encoding: equal values give equal bytes. */
    public byte[] encode() {
        return schema.encode(values);
    }

    /** CRC32C over the canonical encoding: what a handover checks to detect a corrupted transfer. */
    public long checksum() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(encode());
        return crc.getValue();
    }
}
