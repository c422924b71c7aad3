package io.worldmesh.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginCheckTest {

    private final OriginCheck check = new OriginCheck(List.of("https://Play.Example.com/", "http://[::1]:9000"));

    @Test
    void aClientWithoutOriginIsNoBrowserAndIsLetIn() {
        assertThat(check.check(null, "localhost:8080")).isInstanceOf(OriginCheck.Allowed.class);
    }

    /** The host and port decide, not the scheme: behind a TLS proxy the page is https and the Host the same. */
    @ParameterizedTest
    @CsvSource({
            "http://localhost:8080,        localhost:8080",
            "HTTP://LocalHost:8080,        localhost:8080",
            "http://localhost:8080,        LOCALHOST:8080",
            "http://game.example.com,      game.example.com",
            "http://game.example.com,      game.example.com:80",
            "https://game.example.com,     game.example.com",
            "https://game.example.com:443, game.example.com:443",
            "https://localhost:8080,       localhost:8080",
            "http://[::1]:8080,            [::1]:8080",
            "https://play.example.com,     gateway.internal:8080",
            "https://play.example.com:443, gateway.internal:8080",
            "http://[::1]:9000,            gateway.internal:8080"})
    void theGatewaysOwnPagesAndTheAllowedOnesAreLetIn(String origin, String host) {
        assertThat(check.check(origin, host)).as("%s on %s", origin, host).isInstanceOf(OriginCheck.Allowed.class);
    }

    @ParameterizedTest
    @CsvSource({
            "https://evil.example,                 localhost:8080",
            "http://localhost:8081,                localhost:8080",
            "http://localhost,                     localhost:8080",
            "http://localhost:8080.evil.example,   localhost:8080",
            "http://localhost:8080@evil.example,   localhost:8080",
            "http://localhost:8080/page,           localhost:8080",
            "null,                                 localhost:8080",
            "file://,                              localhost:8080",
            "chrome-extension://abcdef,            localhost:8080",
            "https://play.example.com:8443,        localhost:8080",
            "http://play.example.com,              localhost:8080",
            "https://play.example.com.evil.example, localhost:8080",
            "%%%,                                  localhost:8080"})
    void anyOtherOriginIsRefusedWithAReason(String origin, String host) {
        assertThat(check.check(origin, host)).as("%s on %s", origin, host)
                .isInstanceOfSatisfying(OriginCheck.Refused.class,
                        r -> assertThat(r.reason()).contains(origin, "may not open /ws"));
    }

    /**
     * A gateway that serves TLS itself serves its page over https only: an http page of its host is another
     * server's (port 80, say), while the allowed origins stay allowed whatever their scheme.
     */
    @ParameterizedTest
    @CsvSource({
            "https://localhost:8443,       localhost:8443,       true",
            "HTTPS://LocalHost:8443,       localhost:8443,       true",
            "https://game.example.com,     game.example.com,     true",
            "https://game.example.com,     game.example.com:443, true",
            "http://game.example.com,      game.example.com,     false",
            "http://localhost:8443,        localhost:8443,       false",
            "https://localhost:8444,       localhost:8443,       false",
            "http://[::1]:9000,            gateway.internal:8443, true",
            "https://play.example.com,     gateway.internal:8443, true"})
    void aTlsGatewaysOwnPageIsHttps(String origin, String host, boolean allowed) {
        OriginCheck tls = new OriginCheck(List.of("https://Play.Example.com/", "http://[::1]:9000"), true);
        assertThat(tls.check(origin, host)).as("%s on %s", origin, host)
                .isInstanceOf(allowed ? OriginCheck.Allowed.class : OriginCheck.Refused.class);
        assertThat(check.check(origin, host)).as("the plain gateway's verdict on %s", origin)
                .isInstanceOf(origin.endsWith(":8444") ? OriginCheck.Refused.class : OriginCheck.Allowed.class);
    }

    @Test
    void aRequestWithoutHostHasNoOwnOrigin() {
        assertThat(check.check("http://localhost:8080", null)).isInstanceOf(OriginCheck.Refused.class);
    }

    @Test
    void allowedOriginsThatAreNoOriginsAreRefusedAtStartAllAtOnce() {
        assertThatThrownBy(() -> Admission.DEFAULTS.withAllowedOrigins(List.of("play.example.com",
                "ftp://files.example.com", "https://a.example.com/game", "https://ok.example")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'play.example.com'")
                .hasMessageContaining("'ftp://files.example.com'")
                .hasMessageContaining("'https://a.example.com/game'")
                .hasMessageNotContaining("ok.example");
    }
}
