package io.worldmesh.client;

import java.util.random.RandomGenerator;

/**
 * When to try again after a lost connection: exponential backoff with full jitter, a delay drawn evenly from
 * [{@link #FLOOR_MILLIS}, min(cap, base x 2^attempt)]. The jitter spreads the clients of a crashed gateway over the
 * window instead of letting them all come back in the same millisecond; the floor keeps a client from hammering a
 * gateway that refuses at once. Plain code on a seeded random.
 */
public final class ReconnectBackoff {

    public static final long BASE_MILLIS = 250;
    public static final long CAP_MILLIS = 5_000;
    public static final long FLOOR_MILLIS = 100;

    private final long baseMillis;
    private final long capMillis;
    private final RandomGenerator random;
    private int attempt;

    public ReconnectBackoff(RandomGenerator random) {
        this(BASE_MILLIS, CAP_MILLIS, random);
    }

    public ReconnectBackoff(long baseMillis, long capMillis, RandomGenerator random) {
        if (baseMillis < 1 || capMillis < baseMillis) {
            throw new IllegalArgumentException("need 1 <= base <= cap, was " + baseMillis + " and " + capMillis);
        }
        this.baseMillis = baseMillis;
        this.capMillis = capMillis;
        this.random = random;
    }

    /** The wait before the next attempt; each call counts one attempt. */
    public long nextDelayMillis() {
        long ceiling = attempt >= 30 ? capMillis : Math.min(capMillis, baseMillis << attempt);
        attempt++;
        long floor = Math.min(FLOOR_MILLIS, ceiling);
        return floor + random.nextLong(ceiling - floor + 1);
    }

    /** A connection got through: the next loss starts from the base again. */
    public void reset() {
        attempt = 0;
    }

    public int attempts() {
        return attempt;
    }
}
