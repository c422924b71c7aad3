package io.worldmesh.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator drives only the nodes' cores: no transport, so Vert.x is not even on its class path. */
class NoVertxTest {

    @Test
    void vertxIsNotOnTheClassPath() {
        assertThatThrownBy(() -> Class.forName("io.vertx.core.Vertx")).isInstanceOf(ClassNotFoundException.class);
    }
}
