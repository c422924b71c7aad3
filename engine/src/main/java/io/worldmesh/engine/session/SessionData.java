package io.worldmesh.engine.session;

import io.worldmesh.api.Property;

import java.util.Objects;

/** One player's values of its game's declared properties. Values are immutable, so copies are shallow. */
public final class SessionData {

    private final PropertySchema schema;
    private final Object[] values;
    /** Why the values may not change now (a player frozen for a handover), or null when they may. */
    private String lockedBecause;

    SessionData(PropertySchema schema, Object[] values) {
        this.schema = schema;
        this.values = values;
    }

    public <T> T get(Property<T> property) {
        @SuppressWarnings("unchecked")
        T value = (T) values[schema.indexOf(property)];
        return value;
    }

    /** Replaces a value; throws {@link IllegalStateException} while the data is {@link #lock locked}. */
    public <T> void set(Property<T> property, T value) {
        if (lockedBecause != null) {
            throw new IllegalStateException(lockedBecause + ": cannot set '" + property.name() + "'");
        }
        values[schema.indexOf(property)] = Objects.requireNonNull(value, property.name());
        schema.changed();
    }

    /** From now on every {@link #set} throws, with {@code because} as its message. */
    public void lock(String because) {
        lockedBecause = Objects.requireNonNull(because);
    }

    public void unlock() {
        lockedBecause = null;
    }

    public boolean locked() {
        return lockedBecause != null;
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
