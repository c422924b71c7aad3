package io.worldmesh.node.tracing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SpanTableTest {

    @Test
    void theOldestGoFirstBeyondTheCapacityOrTheAge() {
        List<String> evicted = new ArrayList<>();
        SpanTable<String, String> t = new SpanTable<>(3, 100, (k, v) -> evicted.add(k + "=" + v));
        t.put("a", "1", 0);
        t.put("b", "2", 10);
        t.put("c", "3", 20);
        t.put("d", "4", 30);
        assertThat(evicted).containsExactly("a=1");
        assertThat(t.size()).isEqualTo(3);
        t.expire(115);
        assertThat(evicted).containsExactly("a=1", "b=2");
        assertThat(t.remove("c")).isEqualTo("3");
        assertThat(t.get("d")).isEqualTo("4");
        t.expire(1000);
        assertThat(evicted).containsExactly("a=1", "b=2", "d=4");
        assertThat(t.size()).isZero();
    }
}
