package io.worldmesh.client;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;

/**
 * How to run a swarm of bots.
 *
 * @param url          the gateway's WebSocket, e.g. {@code ws://localhost:8080/ws}
 * @param count        bots to connect
 * @param duration     how long they play once connected
 * @param inputRateHz  inputs each bot sends per second
 * @param maxGap       longest acceptable time between two snapshots of a bot
 * @param seed         seeds the bots' random walks
 * @param progress     where to print the live progress line; null for none
 */
public record SwarmOptions(URI url, int count, Duration duration, int inputRateHz, Duration maxGap, long seed,
                           PrintStream progress) {

    public SwarmOptions {
        if (count < 1) throw new IllegalArgumentException("count must be >= 1");
        if (inputRateHz < 1 || inputRateHz > 1000) throw new IllegalArgumentException("input rate must be 1..1000 Hz");
    }

    public static SwarmOptions of(URI url, int count, Duration duration) {
        return new SwarmOptions(url, count, duration, 20, Duration.ofSeconds(2), 42L, null);
    }

    public SwarmOptions withProgress(PrintStream out) {
        return new SwarmOptions(url, count, duration, inputRateHz, maxGap, seed, out);
    }

    public SwarmOptions withMaxGap(Duration gap) {
        return new SwarmOptions(url, count, duration, inputRateHz, gap, seed, progress);
    }
}
