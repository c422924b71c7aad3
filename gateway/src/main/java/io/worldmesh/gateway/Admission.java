package io.worldmesh.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the gateway lets in, and how many: checked before a connection is upgraded to a WebSocket, right after, and
 * until its hello. docs/protocol.md says what a client gets at each bound.
 *
 * @param allowedOrigins           origins ({@code scheme://host[:port]}) besides the gateway's own whose pages may
 *                                 open {@code /ws}; a browser's request from any other is refused with HTTP 403
 * @param helloTimeout             how long a connection may go without a hello before it is closed with 1008
 * @param maxConnectionsPerAddress WebSockets one remote address (an IPv6 one by its /64) may hold; past it a new one
 *                                 gets {@code too_many_connections} and 1008. TCP connections of any kind from one
 *                                 address are held to twice this
 * @param maxPlayers               client WebSockets (each carries at most one player) the gateway holds; past it a
 *                                 new one gets {@code server_full} and 1013
 */
public record Admission(List<String> allowedOrigins, Duration helloTimeout, int maxConnectionsPerAddress,
                        int maxPlayers) {

    public static final Admission DEFAULTS = new Admission(List.of(), Duration.ofSeconds(5), 32, 1000);

    public Admission {
        allowedOrigins = List.copyOf(allowedOrigins);
        List<String> problems = new ArrayList<>();
        for (String origin : allowedOrigins) {
            OriginCheck.normalise(origin).ifPresentOrElse(o -> { }, () -> problems.add("allowed origin '" + origin
                    + "' is not scheme://host[:port] with scheme http or https"));
        }
        if (helloTimeout == null || helloTimeout.toMillis() < 1) {
            problems.add("hello timeout must be at least 1 ms, was " + helloTimeout);
        }
        if (maxConnectionsPerAddress < 1) {
            problems.add("max connections per address must be >= 1, was " + maxConnectionsPerAddress);
        }
        if (maxPlayers < 1) problems.add("max players must be >= 1, was " + maxPlayers);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid gateway admission: " + String.join("; ", problems));
        }
    }

    /** TCP connections one address may hold: its WebSockets, and room for page loads and closing connections. */
    public int maxSocketsPerAddress() {
        return (int) Math.min(Integer.MAX_VALUE, 2L * maxConnectionsPerAddress);
    }

    public Admission withAllowedOrigins(List<String> origins) {
        return new Admission(origins, helloTimeout, maxConnectionsPerAddress, maxPlayers);
    }

    public Admission withHelloTimeout(Duration timeout) {
        return new Admission(allowedOrigins, timeout, maxConnectionsPerAddress, maxPlayers);
    }

    public Admission withMaxConnectionsPerAddress(int n) {
        return new Admission(allowedOrigins, helloTimeout, n, maxPlayers);
    }

    public Admission withMaxPlayers(int n) {
        return new Admission(allowedOrigins, helloTimeout, maxConnectionsPerAddress, n);
    }
}
