package io.worldmesh.engine.session;

import io.worldmesh.api.Codecs;
import io.worldmesh.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropertySchemaTest {

    private static final Property<Long> SCORE = Property.of("score", Codecs.LONG, 0L);
    private static final Property<List<String>> ITEMS = Property.of("items", Codecs.listOf(Codecs.STRING), List.of());

    @Test
    void encodingRoundTripsBitForBit() throws Exception {
        PropertySchema schema = new PropertySchema(List.of(SCORE, ITEMS));
        SessionData data = schema.initial();
        data.set(SCORE, 12L);
        data.set(ITEMS, List.of("key", "lamp"));
        byte[] bytes = data.encode();
        SessionData back = schema.decode(bytes);
        assertThat(back.get(SCORE)).isEqualTo(12L);
        assertThat(back.get(ITEMS)).containsExactly("key", "lamp");
        assertThat(back.encode()).isEqualTo(bytes);
    }

    @Test
    void anUnknownPropertyIsRefusedNotDropped() {
        byte[] bytes = new PropertySchema(List.of(SCORE, ITEMS)).initial().encode();
        PropertySchema receiver = new PropertySchema(List.of(SCORE));
        assertThatThrownBy(() -> receiver.decode(bytes))
                .isInstanceOf(SessionDataException.class).hasMessageContaining("unknown property 'items'");
    }

    @Test
    void anUnknownVersionIsRefused() {
        byte[] bytes = new PropertySchema(List.of(SCORE)).initial().encode();
        PropertySchema receiver = new PropertySchema(List.of(new Property<>("score", 2, Codecs.LONG, 0L)));
        assertThatThrownBy(() -> receiver.decode(bytes))
                .isInstanceOf(SessionDataException.class).hasMessageContaining("version 1");
    }

    @Test
    void aMissingPropertyOrCorruptBytesAreRefused() {
        byte[] bytes = new PropertySchema(List.of(SCORE)).initial().encode();
        assertThatThrownBy(() -> new PropertySchema(List.of(SCORE, ITEMS)).decode(bytes))
                .isInstanceOf(SessionDataException.class).hasMessageContaining("missing");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> new PropertySchema(List.of(SCORE)).decode(truncated))
                .isInstanceOf(SessionDataException.class);
    }

    @Test
    void undeclaredPropertiesCannotBeReadOrWritten() {
        SessionData data = new PropertySchema(List.of(SCORE)).initial();
        assertThatThrownBy(() -> data.set(ITEMS, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not declared");
    }
}
