package io.worldmesh.app;

import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.engine.WorldSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterJoinTest {

    private final InMemoryDirectory directory = new InMemoryDirectory();

    @Test
    void aNodeGivenAnotherLeaseTtlThanTheClusterRefusesToStartAndSaysWhich() {
        assertThat(ClusterJoin.settings(directory, "orbs", WorldSettings.DEFAULTS, Duration.ofSeconds(5))
                .leaseTtlMillis()).isEqualTo(5_000);
        assertThat(ClusterJoin.settings(directory, "orbs", WorldSettings.DEFAULTS, Duration.ofSeconds(5))
                .leaseTtlMillis()).as("the same TTL joins").isEqualTo(5_000);
        assertThatThrownBy(() -> ClusterJoin.settings(directory, "orbs", WorldSettings.DEFAULTS,
                Duration.ofSeconds(30)))
                .isInstanceOf(ClusterJoin.Refused.class)
                .hasMessageContaining("lease TTL: cluster 5000 ms, this process 30000 ms");
    }
}
