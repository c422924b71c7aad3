package io.worldmesh.client;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class SourceAddressesTest {

    @Test
    void groupsTakeLoopbackAddressesInTurnAndSkipNetworkAndBroadcastOnes() {
        assertThat(SourceAddresses.address(0)).isEqualTo("127.0.0.1");
        assertThat(SourceAddresses.address(1)).isEqualTo("127.0.0.2");
        assertThat(SourceAddresses.address(253)).isEqualTo("127.0.0.254");
        assertThat(SourceAddresses.address(254)).isEqualTo("127.0.1.1");
        assertThat(SourceAddresses.address(254 * 256)).isEqualTo("127.1.0.1");
    }

    @Test
    void onlyALoopbackTargetIsSpread() {
        assertThat(SourceAddresses.isLoopback("localhost")).isTrue();
        assertThat(SourceAddresses.isLoopback("127.0.0.1")).isTrue();
        assertThat(SourceAddresses.isLoopback("127.3.2.1")).isTrue();
        assertThat(SourceAddresses.isLoopback("10.0.0.1")).isFalse();
        assertThat(SourceAddresses.isLoopback("game.example.com")).isFalse();
        Vertx vertx = Vertx.vertx();
        try (SourceAddresses remote = new SourceAddresses(vertx, URI.create("ws://game.example.com:8080/ws"))) {
            assertThat(remote.clientFor(0)).isSameAs(remote.clientFor(100));
            assertThat(remote.target(URI.create("ws://game.example.com:8080/ws")).getHost())
                    .isEqualTo("game.example.com");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void aLocalTargetGetsOneClientPerGroupAndIsReachedAt127001() {
        Vertx vertx = Vertx.vertx();
        URI local = URI.create("ws://localhost:8080/ws");
        try (SourceAddresses s = new SourceAddresses(vertx, local)) {
            if (SourceAddresses.spreadsLoopback()) {
                assertThat(s.clientFor(0)).isSameAs(s.clientFor(SourceAddresses.PER_ADDRESS - 1))
                        .isNotSameAs(s.clientFor(SourceAddresses.PER_ADDRESS));
                assertThat(s.target(local)).isEqualTo(URI.create("ws://127.0.0.1:8080/ws"));
            } else {
                assertThat(s.clientFor(0)).isSameAs(s.clientFor(SourceAddresses.PER_ADDRESS));
                assertThat(s.target(local)).isEqualTo(local);
            }
        } finally {
            vertx.close().await();
        }
    }
}
