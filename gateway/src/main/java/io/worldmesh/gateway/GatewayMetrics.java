package io.worldmesh.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.worldmesh.protocol.client.ErrorCode;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The gateway's meters: connections, bytes queued for clients, refused client messages by code, connections turned
 * away, messages dropped and connections closed for clients that do not read.
 */
final class GatewayMetrics {

    /** Why a connection was turned away before any protocol error code could say so. */
    enum Rejection { ORIGIN, ADDRESS_SOCKETS, HELLO_TIMEOUT, NOT_UTF8 }

    private final Map<ErrorCode, Counter> refused = new EnumMap<>(ErrorCode.class);
    private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
    private final Map<Outbox.Kind, Counter> dropped = new EnumMap<>(Outbox.Kind.class);
    final Counter notReading;
    final Counter oversizedFrames;
    final Counter routeSwitches;
    final Counter staleFrames;

    GatewayMetrics(MeterRegistry registry, IntSupplier connections, LongSupplier queuedBytes,
                   IntSupplier bufferedInputs) {
        Gauge.builder("worldmesh.gateway.buffered.inputs", bufferedInputs, s -> s.getAsInt())
                .description("Inputs kept for players that no snapshot covers yet, held ones included")
                .strongReference(true).register(registry);
        routeSwitches = Counter.builder("worldmesh.gateway.routes")
                .description("ROUTE messages received from nodes (switches and repeats)").register(registry);
        staleFrames = Counter.builder("worldmesh.gateway.stale.frames")
                .description("Frames dropped because they came from a node that no longer owns the player, or "
                        + "carried a tick at or below one already sent").register(registry);
        // Strong references: Micrometer holds a gauge's object weakly, and nothing else holds these suppliers, so
        // the gauges would read NaN after the next collection.
        Gauge.builder("worldmesh.gateway.connections", connections, s -> s.getAsInt())
                .description("Open client WebSocket connections").strongReference(true).register(registry);
        Gauge.builder("worldmesh.gateway.queued.bytes", queuedBytes, s -> s.getAsLong())
                .description("Bytes written to clients and not yet handed to their sockets").baseUnit("bytes")
                .strongReference(true).register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            refused.put(code, Counter.builder("worldmesh.gateway.refused")
                    .description("Client messages refused, by error code").tag("code", code.wire())
                    .register(registry));
        }
        for (Outbox.Kind kind : Outbox.Kind.values()) {
            dropped.put(kind, Counter.builder("worldmesh.gateway.dropped")
                    .description("Messages not sent to a client, by kind: snapshots and replies while its write "
                            + "queue is full, anything once it is being closed for not reading")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (Rejection r : Rejection.values()) {
            rejected.put(r, Counter.builder("worldmesh.gateway.rejected")
                    .description("Connections the gateway turned away: origin (HTTP 403 before the upgrade), "
                            + "address_sockets (closed at accept), hello_timeout and not_utf8 (closed)")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        notReading = Counter.builder("worldmesh.gateway.not.reading")
                .description("Connections closed with 1008 because the client did not read what it was sent")
                .register(registry);
        oversizedFrames = Counter.builder("worldmesh.gateway.oversized.frames")
                .description("Connections closed for a frame over the size limit").register(registry);
    }

    void refused(ErrorCode code) {
        refused.get(code).increment();
    }

    void rejected(Rejection why) {
        rejected.get(why).increment();
    }

    void dropped(Outbox.Kind kind) {
        dropped.get(kind).increment();
    }
}
