package io.worldmesh.directory.redis;

import java.time.Duration;

/**
 * The bounds of a {@link RedisDirectory}.
 *
 * @param commandTimeout    every call completes within this (exceptionally, with a
 *                          {@code RedisCommandTimeoutException}, when Redis does not answer in time); also the bound
 *                          on opening the connection
 * @param requestQueueSize  commands in flight at most; a call beyond it fails at once instead of queueing
 * @param decisionTtl       how long a handover decision is kept: far longer than any handover can take (prepare
 *                          timeout + commit timeout + one reconcile interval, seconds), so that every participant
 *                          that asks still finds it
 * @param auditMaxLength    the audit stream is trimmed to about this many entries (MAXLEN ~)
 * @param maxReconnectDelay the longest pause between reconnect attempts after the connection drops
 */
public record RedisDirectorySettings(Duration commandTimeout, int requestQueueSize, Duration decisionTtl,
                                     long auditMaxLength, Duration maxReconnectDelay) {

    public static final RedisDirectorySettings DEFAULTS =
            new RedisDirectorySettings(Duration.ofSeconds(2), 10_000, Duration.ofHours(1), 100_000,
                    Duration.ofSeconds(1));

    public RedisDirectorySettings {
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive");
        }
        if (requestQueueSize < 1) {
            throw new IllegalArgumentException("requestQueueSize must be >= 1");
        }
        if (decisionTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("decisionTtl must be at least one second");
        }
        if (auditMaxLength < 1) {
            throw new IllegalArgumentException("auditMaxLength must be >= 1");
        }
        if (maxReconnectDelay.isNegative() || maxReconnectDelay.isZero()) {
            throw new IllegalArgumentException("maxReconnectDelay must be positive");
        }
    }

    public RedisDirectorySettings withCommandTimeout(Duration timeout) {
        return new RedisDirectorySettings(timeout, requestQueueSize, decisionTtl, auditMaxLength, maxReconnectDelay);
    }

    public RedisDirectorySettings withRequestQueueSize(int size) {
        return new RedisDirectorySettings(commandTimeout, size, decisionTtl, auditMaxLength, maxReconnectDelay);
    }

    public RedisDirectorySettings withAuditMaxLength(long length) {
        return new RedisDirectorySettings(commandTimeout, requestQueueSize, decisionTtl, length, maxReconnectDelay);
    }
}
