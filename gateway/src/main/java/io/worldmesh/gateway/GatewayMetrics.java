package io.worldmesh.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.worldmesh.protocol.client.ErrorCode;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/** The gateway's meters: connections, refused client messages by code, snapshots dropped for slow clients. */
final class GatewayMetrics {

    private final Map<ErrorCode, Counter> refused = new EnumMap<>(ErrorCode.class);
    final Counter droppedForSlowClient;
    final Counter oversizedFrames;

    GatewayMetrics(MeterRegistry registry, IntSupplier connections) {
        Gauge.builder("worldmesh.gateway.connections", connections, s -> s.getAsInt())
                .description("Open client WebSocket connections").register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            refused.put(code, Counter.builder("worldmesh.gateway.refused")
                    .description("Client messages refused, by error code").tag("code", code.wire())
                    .register(registry));
        }
        droppedForSlowClient = Counter.builder("worldmesh.gateway.dropped")
                .description("Messages not sent because the client's write queue was full").register(registry);
        oversizedFrames = Counter.builder("worldmesh.gateway.oversized.frames")
                .description("Connections closed for a frame over the size limit").register(registry);
    }

    void refused(ErrorCode code) {
        refused.get(code).increment();
    }
}
