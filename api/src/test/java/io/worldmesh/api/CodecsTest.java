package io.worldmesh.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecsTest {

    private static <T> byte[] write(Codec<T> codec, T value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            codec.write(value, out);
        }
        return bytes.toByteArray();
    }

    private static <T> T roundTrip(Codec<T> codec, T value) throws IOException {
        byte[] bytes = write(codec, value);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            T back = codec.read(in);
            assertThat(in.available()).as("every byte consumed").isZero();
            assertThat(write(codec, back)).as("canonical: re-encoding gives the same bytes").isEqualTo(bytes);
            return back;
        }
    }

    @Test
    void everyBuiltInCodecRoundTrips() throws IOException {
        for (int v : new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThat(roundTrip(Codecs.INT, v)).isEqualTo(v);
        }
        for (long v : new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(roundTrip(Codecs.LONG, v)).isEqualTo(v);
        }
        for (double v : new double[] {0.0, -0.0, 1.5e-300, Double.NaN, Double.NEGATIVE_INFINITY, Math.PI}) {
            assertThat(Double.doubleToRawLongBits(roundTrip(Codecs.DOUBLE, v)))
                    .isEqualTo(Double.doubleToRawLongBits(v));
        }
        assertThat(roundTrip(Codecs.BOOLEAN, true)).isTrue();
        assertThat(roundTrip(Codecs.STRING, "naïve 🙂")).isEqualTo("naïve 🙂");
        assertThat(roundTrip(Codecs.listOf(Codecs.listOf(Codecs.INT)), List.of(List.of(1, 2), List.of())))
                .isEqualTo(List.of(List.of(1, 2), List.of()));
    }

    @Test
    void aCorruptListLengthIsRefusedWithoutAllocatingIt() {
        byte[] bytes = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThatThrownBy(() -> Codecs.listOf(Codecs.INT).read(new DataInputStream(new ByteArrayInputStream(bytes))))
                .isInstanceOf(IOException.class).hasMessageContaining("out of range");
    }

    @Test
    void propertiesEventsAndActionsValidateTheirNames() {
        assertThatThrownBy(() -> Property.of("Bad Name", Codecs.INT, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Property<>("ok", 0, Codecs.INT, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GameEvent.of("Nope!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GameEvent("ok", java.util.Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ActionSpec.of("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anActionMustMatchItsSpecExactly() {
        ActionSpec use = new ActionSpec("use", java.util.Map.of("target", ActionField.STRING, "power", ActionField.NUMBER));
        assertThat(use.check(new Action("use", java.util.Map.of("target", "e1", "power", 2.0)))).isEmpty();
        assertThat(use.check(new Action("use", java.util.Map.of("target", "e1")))).get().asString().contains("power");
        assertThat(use.check(new Action("use", java.util.Map.of("target", 5.0, "power", 2.0)))).get().asString()
                .contains("must be string");
        assertThat(use.check(new Action("use", java.util.Map.of("target", "e1", "power", 2.0, "x", true))))
                .get().asString().contains("no field 'x'");
    }
}
