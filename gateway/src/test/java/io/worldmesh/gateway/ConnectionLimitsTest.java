package io.worldmesh.gateway;

import io.vertx.core.net.SocketAddress;
import io.worldmesh.protocol.client.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimitsTest {

    private static SocketAddress from(String host) {
        return SocketAddress.inetSocketAddress(40000, host);
    }

    @Test
    void anAddressCountsAsItselfAndAnIpv6OneByItsSlash64() {
        assertThat(ConnectionLimits.addressKey(from("10.1.2.3"))).isEqualTo("10.1.2.3");
        assertThat(ConnectionLimits.addressKey(from("2001:db8:1:2::1")))
                .isEqualTo(ConnectionLimits.addressKey(from("2001:db8:1:2:ffff:ffff:ffff:ffff")))
                .isNotEqualTo(ConnectionLimits.addressKey(from("2001:db8:1:3::1")));
        assertThat(ConnectionLimits.addressKey(from("::ffff:10.1.2.3"))).isEqualTo("10.1.2.3");
    }

    @Test
    void leasesAreHeldToTheLimitGivenBackOnceAndTakeNoRoomWhenNoneAreHeld() {
        Leases leases = new Leases(2);
        Leases.Lease a = leases.acquire("x").orElseThrow();
        Leases.Lease b = leases.acquire("x").orElseThrow();
        assertThat(leases.acquire("x")).isEmpty();
        assertThat(leases.acquire("y")).isPresent();
        a.release();
        a.release();
        assertThat(leases.held("x")).as("released twice, given back once").isEqualTo(1);
        b.release();
        assertThat(leases.held("x")).isZero();
        assertThat(leases.keys()).as("only y holds something").isEqualTo(1);
    }

    @Test
    void webSocketsPastTheAddressOrGatewayLimitAreRefusedWithTheirCodes() {
        ConnectionLimits limits = new ConnectionLimits(Admission.DEFAULTS.withMaxConnectionsPerAddress(2)
                .withMaxPlayers(3));
        List<ConnectionLimits.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(limits.onWebSocket(from("10.0.0.1")));
        }
        assertThat(entries.subList(0, 2)).allMatch(e -> e instanceof ConnectionLimits.Admitted);
        assertThat(entries.get(2)).isInstanceOfSatisfying(ConnectionLimits.Refused.class, r -> {
            assertThat(r.code()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
            assertThat(r.closeCode()).isEqualTo(1008);
        });
        assertThat(limits.onWebSocket(from("10.0.0.2"))).isInstanceOf(ConnectionLimits.Admitted.class);
        ConnectionLimits.Entry full = limits.onWebSocket(from("10.0.0.3"));
        assertThat(full).isInstanceOfSatisfying(ConnectionLimits.Refused.class, r -> {
            assertThat(r.code()).isEqualTo(ErrorCode.SERVER_FULL);
            assertThat(r.closeCode()).isEqualTo(1013);
        });
        ((ConnectionLimits.Admitted) entries.get(0)).leases().forEach(Leases.Lease::release);
        assertThat(limits.onWebSocket(from("10.0.0.3"))).as("a place given back")
                .isInstanceOf(ConnectionLimits.Admitted.class);
    }

    @Test
    void tcpConnectionsOfAnyKindAreHeldToTwiceTheWebSocketLimit() {
        ConnectionLimits limits = new ConnectionLimits(Admission.DEFAULTS.withMaxConnectionsPerAddress(2));
        List<Optional<Leases.Lease>> sockets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sockets.add(limits.onSocket(from("10.0.0.9")));
        }
        assertThat(sockets).filteredOn(Optional::isPresent).hasSize(4);
        assertThat(sockets.get(4)).isEmpty();
        assertThat(limits.addresses()).isEqualTo(1);
        sockets.forEach(s -> s.ifPresent(Leases.Lease::release));
        assertThat(limits.addresses()).isZero();
    }
}
