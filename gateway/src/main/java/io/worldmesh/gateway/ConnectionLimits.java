package io.worldmesh.gateway;

import io.vertx.core.net.SocketAddress;
import io.worldmesh.protocol.client.ErrorCode;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's bounds on connections, by remote address and in all ({@link Admission}): a TCP connection of any
 * kind takes a lease of its address's sockets, a client WebSocket one of its address's WebSockets and one of the
 * gateway's players. Every lease is given back when its connection closes, so the counts are what is open.
 */
final class ConnectionLimits {

    /** What a new client WebSocket gets. */
    sealed interface Entry permits Admitted, Refused {
    }

    /** {@code leases}: to give back when the WebSocket closes. */
    record Admitted(List<Leases.Lease> leases) implements Entry {
    }

    /** Tell the client {@code code} with {@code message}, and close it with {@code closeCode}. */
    record Refused(ErrorCode code, String message, int closeCode, String closeReason) implements Entry {
    }

    private final Leases sockets;
    private final Leases webSockets;
    private final Leases players;

    ConnectionLimits(Admission admission) {
        this.sockets = new Leases(admission.maxSocketsPerAddress());
        this.webSockets = new Leases(admission.maxConnectionsPerAddress());
        this.players = new Leases(admission.maxPlayers());
    }

    /** A new TCP connection's lease, or empty when its address holds too many already: close it unanswered. */
    Optional<Leases.Lease> onSocket(SocketAddress remote) {
        return sockets.acquire(addressKey(remote));
    }

    Entry onWebSocket(SocketAddress remote) {
        String address = addressKey(remote);
        Optional<Leases.Lease> mine = webSockets.acquire(address);
        if (mine.isEmpty()) {
            return new Refused(ErrorCode.TOO_MANY_CONNECTIONS, "too many connections from your address: the limit "
                    + "is " + webSockets.limit(), 1008, "too many connections from your address");
        }
        Optional<Leases.Lease> player = players.acquire(""); // one count for the whole gateway
        if (player.isEmpty()) {
            mine.get().release();
            return new Refused(ErrorCode.SERVER_FULL, "this server is full (" + players.limit() + " players); try "
                    + "again later", 1013, "server full");
        }
        return new Admitted(List.of(mine.get(), player.get()));
    }

    /** Addresses that hold a TCP connection now: what the per-address counts take. */
    int addresses() {
        return sockets.keys();
    }

    /**
     * The key a connection counts under: its IP address, or for IPv6 its /64, since one subscriber is commonly
     * given a whole /64.
     */
    static String addressKey(SocketAddress remote) {
        String host = remote.hostAddress();
        if (host == null || host.indexOf(':') < 0) {
            return String.valueOf(host); // IPv4, as Netty writes it
        }
        try {
            InetAddress ip = InetAddress.getByName(host); // an IPv6 literal: parsed, never looked up
            if (ip instanceof Inet6Address) {
                byte[] prefix = new byte[8];
                System.arraycopy(ip.getAddress(), 0, prefix, 0, 8);
                return HexFormat.of().formatHex(prefix) + "/64";
            }
            return ip.getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
