package io.worldmesh.gateway;

/**
 * How fast the gateway reads one client: frames of every kind (pings and other control frames included) and their
 * bytes, each a token bucket that holds {@value #BURST_SECONDS} seconds of its rate. Past either, the gateway stops
 * reading the connection until the bucket is back at zero; TCP then holds the rest on the client's side. No client,
 * whatever it sends, takes more than its share of an event loop this way, and nothing is refused: a client far
 * over the rates is only read more slowly (the input rate limit still closes one that sends too many inputs).
 * Not thread-safe: one per connection, on its context.
 */
final class ReadBudget {

    static final int BURST_SECONDS = 2;
    private static final double NANOS_PER_SECOND = 1e9;

    private final double framesPerNano;
    private final double bytesPerNano;
    private final double frameCapacity;
    private final double byteCapacity;
    private double frames;
    private double bytes;
    private long lastNanos;
    private boolean started;
    private boolean stopped;

    ReadBudget(double framesPerSecond, double bytesPerSecond) {
        this.framesPerNano = framesPerSecond / NANOS_PER_SECOND;
        this.bytesPerNano = bytesPerSecond / NANOS_PER_SECOND;
        this.frameCapacity = framesPerSecond * BURST_SECONDS;
        this.byteCapacity = bytesPerSecond * BURST_SECONDS;
        this.frames = frameCapacity;
        this.bytes = byteCapacity;
    }

    /** The budget of a client of {@code settings}: four times its input rate and four frames of the largest. */
    static ReadBudget of(GatewaySettings settings) {
        return new ReadBudget(4.0 * settings.maxInputsPerSecond(), 4.0 * settings.maxFrameBytes());
    }

    /**
     * Takes one frame of {@code frameBytes}; returns how long to stop reading, in nanoseconds, or 0 to read on (or
     * when reading has stopped already: the frames of the last read still come). Then {@link #resumed}.
     */
    long take(int frameBytes, long nowNanos) {
        if (started) {
            long elapsed = Math.max(0, nowNanos - lastNanos);
            frames = Math.min(frameCapacity, frames + elapsed * framesPerNano);
            bytes = Math.min(byteCapacity, bytes + elapsed * bytesPerNano);
        }
        started = true;
        lastNanos = nowNanos;
        frames -= 1;
        bytes -= frameBytes;
        double wait = Math.max(frames < 0 ? -frames / framesPerNano : 0, bytes < 0 ? -bytes / bytesPerNano : 0);
        if (wait <= 0 || stopped) {
            return 0;
        }
        stopped = true;
        return (long) Math.ceil(wait);
    }

    /** Reading has started again. */
    void resumed() {
        stopped = false;
    }
}
