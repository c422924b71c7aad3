package io.worldmesh.protocol.trace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceParentTest {

    @Test
    void acceptsOnlyA55CharacterW3cTraceparent() {
        String tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        assertThat(TraceParent.isValid(tp)).isTrue();
        assertThat(TraceParent.isValid(tp.replace("-01", "-00"))).isTrue();
        assertThat(TraceParent.orNull(tp)).isEqualTo(tp);
        assertThat(TraceParent.orNull(null)).isNull();
        assertThat(TraceParent.orNull(tp + "-00")).isNull();
        assertThat(TraceParent.orNull(tp.substring(1))).isNull();
        assertThat(TraceParent.orNull(tp.replace('a', 'A'))).isNull();
        assertThat(TraceParent.orNull(tp.replace('-', '_'))).isNull();
        assertThat(TraceParent.orNull("ff" + tp.substring(2))).isNull();
        assertThat(TraceParent.orNull("00-" + "0".repeat(32) + tp.substring(35))).isNull();
        assertThat(TraceParent.orNull(tp.substring(0, 36) + "0".repeat(16) + "-01")).isNull();
        assertThat(TraceParent.orNull("x".repeat(55))).isNull();
    }
}
