package io.worldmesh.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Samples what {@code delegate} samples, but at most {@code perSecond} a second: a token bucket of
 * {@code perSecond} tokens (a one-second burst, at least one token), full at the start and refilled continuously.
 * A span the delegate drops spends no token. Meant as the root sampler of {@link Sampler#parentBased}: it then
 * decides only whether a new trace starts, and every span with a parent follows the parent, so a trace is recorded
 * whole or not at all. Thread-safe; one short lock per root span.
 */
public final class RateLimitedSampler implements Sampler {

    private static final double NANOS_PER_SECOND = 1e9;

    private final Sampler delegate;
    private final double perSecond;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;

    public RateLimitedSampler(Sampler delegate, double perSecond) {
        this(delegate, perSecond, System::nanoTime);
    }

    /** With {@code nanoClock} (nanoseconds, as {@link System#nanoTime}) in place of the system's: tests. */
    public RateLimitedSampler(Sampler delegate, double perSecond, LongSupplier nanoClock) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("traces per second must be a finite number > 0, was " + perSecond);
        }
        this.delegate = delegate;
        this.perSecond = perSecond;
        this.capacity = Math.max(1, perSecond); // below 1/s a bucket of perSecond tokens would never hold one
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.refilledAt = nanoClock.getAsLong();
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                       Attributes attributes, List<LinkData> parentLinks) {
        SamplingResult result = delegate.shouldSample(parentContext, traceId, name, spanKind, attributes,
                parentLinks);
        if (result.getDecision() == SamplingDecision.DROP) {
            return result;
        }
        return tryTake() ? result : SamplingResult.drop();
    }

    private synchronized boolean tryTake() {
        long now = nanoClock.getAsLong();
        long elapsed = now - refilledAt; // a difference, as nanoTime's values may wrap
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perSecond / NANOS_PER_SECOND);
            refilledAt = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    @Override
    public String getDescription() {
        String rate = perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond);
        return "RateLimited{" + rate + "/s, " + delegate.getDescription() + "}";
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public String toString() {
        return getDescription();
    }
}
