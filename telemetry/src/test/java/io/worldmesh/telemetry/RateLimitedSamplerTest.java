package io.worldmesh.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trace budget's token bucket, on a fake clock: no sleeps. */
class RateLimitedSamplerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    @Test
    void atOneInstantExactlyPerSecondAreSampledThenTheyRefillOverTime() {
        Sampler s = new RateLimitedSampler(Sampler.alwaysOn(), 20, now::get);
        assertThat(sampled(s, 100)).isEqualTo(20);
        now.addAndGet(SECOND / 2);
        assertThat(sampled(s, 100)).isEqualTo(10);
        now.addAndGet(SECOND / 4);
        assertThat(sampled(s, 100)).isEqualTo(5);
        assertThat(sampled(s, 100)).isZero();
    }

    @Test
    void aLongIdleRefillsNoMoreThanTheOneSecondBurst() {
        Sampler s = new RateLimitedSampler(Sampler.alwaysOn(), 20, now::get);
        now.addAndGet(10 * SECOND); // full from the start: idling adds nothing
        assertThat(sampled(s, 100)).isEqualTo(20);
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertThat(sampled(s, 100)).isEqualTo(20);
    }

    @Test
    void whatTheDelegateDropsIsDroppedAndSpendsNoToken() {
        assertThat(sampled(new RateLimitedSampler(Sampler.alwaysOff(), 20, now::get), 100)).isZero();
        assertThat(sampled(new RateLimitedSampler(Sampler.traceIdRatioBased(0), 20, now::get), 100)).isZero();

        AtomicBoolean on = new AtomicBoolean(false);
        Sampler s = new RateLimitedSampler(switchable(on), 20, now::get);
        assertThat(sampled(s, 100)).isZero();
        on.set(true); // the 100 drops above left the bucket full
        assertThat(sampled(s, 100)).isEqualTo(20);
    }

    @Test
    void belowOneASecondTheBucketStillHoldsOneTrace() {
        Sampler s = new RateLimitedSampler(Sampler.alwaysOn(), 0.5, now::get);
        assertThat(sampled(s, 10)).isEqualTo(1);
        now.addAndGet(SECOND);
        assertThat(sampled(s, 10)).isZero();
        now.addAndGet(SECOND);
        assertThat(sampled(s, 10)).isEqualTo(1);
    }

    @Test
    void aClockThatWrapsStillRefills() {
        now.set(Long.MAX_VALUE - SECOND / 4);
        Sampler s = new RateLimitedSampler(Sampler.alwaysOn(), 20, now::get);
        assertThat(sampled(s, 100)).isEqualTo(20);
        now.addAndGet(SECOND / 2); // overflows to a negative value, as System.nanoTime may
        assertThat(now.get()).isNegative();
        assertThat(sampled(s, 100)).isEqualTo(10);
    }

    @Test
    void threadsTogetherGetNoMoreThanTheBudget() throws Exception {
        // Each reading of the clock is 100 ns later: 8 x 20,000 decisions span 16 ms, which refill 0.32 of a token;
        // a refill or a spend lost to a race would let more through.
        Sampler s = new RateLimitedSampler(Sampler.alwaysOn(), 20, () -> now.getAndAdd(100));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> counts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                counts.add(pool.submit(() -> {
                    start.await();
                    return sampled(s, 20_000);
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> c : counts) {
                total += c.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void itDescribesItselfAndRefusesABudgetThatIsNoNumber() {
        assertThat(new RateLimitedSampler(Sampler.traceIdRatioBased(1.0), 20, now::get).getDescription())
                .isEqualTo("RateLimited{20/s, " + Sampler.traceIdRatioBased(1.0).getDescription() + "}");
        assertThat(new RateLimitedSampler(Sampler.alwaysOn(), 2.5, now::get).getDescription())
                .isEqualTo("RateLimited{2.5/s, AlwaysOnSampler}");
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> new RateLimitedSampler(Sampler.alwaysOn(), bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(bad));
        }
    }

    /** Of {@code n} root decisions, how many sampled. */
    private static int sampled(Sampler s, int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            SamplingResult r = s.shouldSample(Context.root(), IdGenerator.random().generateTraceId(), "handover",
                    SpanKind.INTERNAL, Attributes.empty(), List.<LinkData>of());
            if (r.getDecision() == SamplingDecision.RECORD_AND_SAMPLE) {
                count++;
            }
        }
        return count;
    }

    /** Samples while {@code on}, drops otherwise. */
    private static Sampler switchable(AtomicBoolean on) {
        return new Sampler() {
            @Override
            public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                               Attributes attributes, List<LinkData> parentLinks) {
                return on.get() ? SamplingResult.recordAndSample() : SamplingResult.drop();
            }

            @Override
            public String getDescription() {
                return "Switchable";
            }
        };
    }
}
