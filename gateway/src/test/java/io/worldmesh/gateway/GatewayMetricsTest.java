package io.worldmesh.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void gaugesStillReadAfterTheirSuppliersAreCollectable() {
        // The suppliers are fresh objects that nothing else holds, as GatewayServer's method references are.
        new GatewayMetrics(registry, new AtomicInteger(3)::get, new AtomicLong(512)::get, new AtomicInteger(5)::get);
        for (int i = 0; i < 5; i++) {
            System.gc();
        }
        assertThat(registry.get("worldmesh.gateway.connections").gauge().value()).isEqualTo(3);
        assertThat(registry.get("worldmesh.gateway.queued.bytes").gauge().value()).isEqualTo(512);
        assertThat(registry.scrape()).contains("worldmesh_gateway_connections 3.0")
                .doesNotContain("NaN");
    }
}
