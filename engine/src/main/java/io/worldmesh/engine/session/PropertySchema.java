package io.worldmesh.engine.session;

import io.worldmesh.api.Property;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The properties a game declares, in order: the whole of a player's session data. Encodes values canonically
 * ({@code count, then per property: name, version, length, codec bytes}) and refuses to decode anything it does
 * not declare exactly, so no state crosses a handover unannounced and none is silently dropped.
 */
public final class PropertySchema {

    private final List<Property<?>> properties;
    private final Map<String, Integer> index = new HashMap<>();
    /** How many values of this schema's data have been set: whether game state changed since a checkpoint. */
    private long changes;

    public PropertySchema(List<Property<?>> properties) {
        this.properties = List.copyOf(properties);
        for (int i = 0; i < this.properties.size(); i++) {
            if (index.put(this.properties.get(i).name(), i) != null) {
                throw new IllegalArgumentException("property declared twice: " + this.properties.get(i).name());
            }
        }
    }

    public List<Property<?>> properties() {
        return properties;
    }

    /** A fresh set of values, each the property's initial value. */
    public SessionData initial() {
        Object[] values = new Object[properties.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = properties.get(i).initial();
        }
        return new SessionData(this, values);
    }

    /** Values set so far over all data of this schema (the count only grows). */
    public long changes() {
        return changes;
    }

    void changed() {
        changes++;
    }

    int indexOf(Property<?> property) {
        Integer i = index.get(property.name());
        // Games pass their declared constants, so identity settles it; equals (codec, initial value) is the fallback.
        if (i == null || (properties.get(i) != property && !properties.get(i).equals(property))) {
            throw new IllegalArgumentException("property '" + property.name() + "' is not declared by this game");
        }
        return i;
    }

    byte[] encode(Object[] values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(properties.size());
            ByteArrayOutputStream one = new ByteArrayOutputStream(32);
            for (int i = 0; i < values.length; i++) {
                Property<?> p = properties.get(i);
                one.reset();
                try (DataOutputStream valueOut = new DataOutputStream(one)) {
                    writeValue(p, values[i], valueOut);
                }
                out.writeUTF(p.name());
                out.writeShort(p.version());
                out.writeInt(one.size());
                one.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding session data", e);
        }
        return bytes.toByteArray();
    }

    /** Decodes an encoding made by a schema declaring the same properties at the same versions. */
    public SessionData decode(byte[] encoded) throws SessionDataException {
        Object[] values = new Object[properties.size()];
        Set<String> seen = new HashSet<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int count = in.readUnsignedShort();
            for (int n = 0; n < count; n++) {
                String name = in.readUTF();
                int version = in.readUnsignedShort();
                int length = in.readInt();
                Integer i = index.get(name);
                if (i == null) {
                    throw new SessionDataException("unknown property '" + name + "' (version " + version + ")");
                }
                Property<?> p = properties.get(i);
                if (p.version() != version) {
                    throw new SessionDataException("property '" + name + "' has version " + version
                            + ", this game knows version " + p.version());
                }
                if (!seen.add(name)) {
                    throw new SessionDataException("property '" + name + "' appears twice");
                }
                if (length < 0 || length > in.available()) {
                    throw new SessionDataException("property '" + name + "' has a bad length " + length);
                }
                byte[] value = in.readNBytes(length);
                try (DataInputStream valueIn = new DataInputStream(new ByteArrayInputStream(value))) {
                    values[i] = p.codec().read(valueIn);
                    if (valueIn.available() != 0) {
                        throw new SessionDataException("property '" + name + "' has trailing bytes");
                    }
                }
            }
            if (in.available() != 0) {
                throw new SessionDataException("trailing bytes after session data");
            }
        } catch (IOException e) {
            throw new SessionDataException("corrupt session data: " + e.getMessage());
        }
        if (seen.size() != properties.size()) {
            throw new SessionDataException("missing properties: expected " + index.keySet() + ", got " + seen);
        }
        return new SessionData(this, values);
    }

    @SuppressWarnings("unchecked")
    private static <T> void writeValue(Property<T> p, Object value, DataOutputStream out) throws IOException {
        p.codec().write((T) value, out);
    }
}
