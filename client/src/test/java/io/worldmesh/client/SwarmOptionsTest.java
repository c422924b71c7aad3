package io.worldmesh.client;

import io.worldmesh.protocol.tls.TlsFiles;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwarmOptionsTest {

    @Test
    void gatewaysAreWsOrWssAndAnythingElseIsRefusedRatherThanDialledPlain() {
        assertThat(SwarmOptions.of(URI.create("ws://localhost:8080/ws"), 1, Duration.ofSeconds(1)).tls())
                .isEqualTo(TlsFiles.NONE);
        SwarmOptions wss = SwarmOptions.of(URI.create("WSS://localhost:8443/ws"), 1, Duration.ofSeconds(1))
                .withTls(TlsFiles.trusting(Path.of("ca.pem")));
        assertThat(wss.tls().trust()).isEqualTo(Path.of("ca.pem"));
        assertThat(wss.withMaxGap(Duration.ofSeconds(3)).withProgress(null).tls()).isEqualTo(wss.tls());
        assertThatThrownBy(() -> SwarmOptions.of(URI.create("https://localhost:8443/ws"), 1, Duration.ofSeconds(1)))
                .hasMessageContaining("ws://host:port/ws or wss://host:port/ws, was https://localhost:8443/ws");
        assertThatThrownBy(() -> SwarmOptions.of(URI.create("localhost:8080"), 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
