package io.worldmesh.client;

import io.worldmesh.protocol.tls.TlsFiles;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How to run a swarm of bots.
 *
 * @param urls         the gateways' WebSockets, e.g. {@code ws://localhost:8080/ws}: bot {@code i} joins at
 *                     {@code urls[i % n]}, and after a lost connection tries the next one
 * @param count        bots to connect
 * @param duration     how long they play once connected
 * @param inputRateHz  inputs each bot sends per second
 * @param maxGap       longest acceptable time between two snapshots of a bot
 * @param seed         seeds the bots' random walks
 * @param progress     where to print the live progress line; null for none
 * @param tls          what the bots trust for {@code wss} gateways: its bundle, or the JVM's default store
 * @param actionRateHz game actions each bot sends per second, on average, riding on its inputs (0: none); at most
 *                     the input rate
 */
public record SwarmOptions(List<URI> urls, int count, Duration duration, int inputRateHz, Duration maxGap, long seed,
                           PrintStream progress, TlsFiles tls, double actionRateHz) {

    /** Game actions per bot per second unless told otherwise: one every two seconds. */
    public static final double DEFAULT_ACTION_RATE_HZ = 0.5;

    public SwarmOptions {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) throw new IllegalArgumentException("need at least one gateway URL");
        for (URI url : urls) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                throw new IllegalArgumentException("a gateway URL is ws://host:port/ws or wss://host:port/ws, was "
                        + url);
            }
        }
        if (tls == null) throw new IllegalArgumentException("tls must be given (TlsFiles.NONE for none)");
        if (count < 1) throw new IllegalArgumentException("count must be >= 1");
        if (inputRateHz < 1 || inputRateHz > 1000) throw new IllegalArgumentException("input rate must be 1..1000 Hz");
        if (!(actionRateHz >= 0 && actionRateHz <= inputRateHz)) {
            throw new IllegalArgumentException("action rate must be 0.." + inputRateHz + " per second (the input "
                    + "rate: an action rides on an input), was " + actionRateHz);
        }
    }

    /** Without a trust bundle of their own. */
    public SwarmOptions(List<URI> urls, int count, Duration duration, int inputRateHz, Duration maxGap, long seed,
                        PrintStream progress) {
        this(urls, count, duration, inputRateHz, maxGap, seed, progress, TlsFiles.NONE, DEFAULT_ACTION_RATE_HZ);
    }

    public static SwarmOptions of(URI url, int count, Duration duration) {
        return of(List.of(url), count, duration);
    }

    public static SwarmOptions of(List<URI> urls, int count, Duration duration) {
        return new SwarmOptions(urls, count, duration, 20, Duration.ofSeconds(2), 42L, null);
    }

    /** The first gateway's WebSocket. */
    public URI url() {
        return urls.getFirst();
    }

    public SwarmOptions withProgress(PrintStream out) {
        return new SwarmOptions(urls, count, duration, inputRateHz, maxGap, seed, out, tls, actionRateHz);
    }

    public SwarmOptions withMaxGap(Duration gap) {
        return new SwarmOptions(urls, count, duration, inputRateHz, gap, seed, progress, tls, actionRateHz);
    }

    public SwarmOptions withActionRate(double hz) {
        return new SwarmOptions(urls, count, duration, inputRateHz, maxGap, seed, progress, tls, hz);
    }

    public SwarmOptions withTls(TlsFiles t) {
        return new SwarmOptions(urls, count, duration, inputRateHz, maxGap, seed, progress, t, actionRateHz);
    }
}
