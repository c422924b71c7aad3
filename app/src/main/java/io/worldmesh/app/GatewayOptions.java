package io.worldmesh.app;

import io.worldmesh.gateway.Admission;
import io.worldmesh.gateway.GatewaySettings;
import io.worldmesh.protocol.tls.TlsFiles;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The gateway's settings as command-line options. */
final class GatewayOptions {

    @Option(names = "--host", description = "Interface to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--port", description = "Port for the browser page and /ws; 0 picks a free one "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "8080")
    int port;

    @Option(names = "--max-input-rate", description = "Inputs per second a client may send before it is warned "
            + "and then closed (default: ${DEFAULT-VALUE}).", defaultValue = "60")
    int maxInputRate;

    @Option(names = "--gateway-id", description = "This gateway's name; nodes address it by it "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "g1")
    String gatewayId;

    @Option(names = "--max-buffered-inputs", description = "Inputs kept per player that no snapshot covers yet, "
            + "held ones during a handover included; past it inputs are refused with overloaded "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "256")
    int maxBufferedInputs;

    @Option(names = "--allowed-origin", split = ",", paramLabel = "ORIGIN", description = "An origin "
            + "(scheme://host[:port]) besides the gateway's own whose pages may open /ws; repeat it or separate "
            + "with commas. WORLDMESH_ALLOWED_ORIGINS adds more, comma-separated. Browsers' requests from any other "
            + "origin are refused with HTTP 403; clients that send no Origin are let in.")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--hello-timeout", converter = DurationConverter.class, description = "How long a connection "
            + "may go without a hello before it is closed with 1008 (default: 5s).")
    Duration helloTimeout = Admission.DEFAULTS.helloTimeout();

    @Option(names = "--max-connections-per-address", description = "WebSockets one remote address (an IPv6 one "
            + "by its /64) may hold; past it a new one gets too_many_connections; TCP connections of any kind are "
            + "held to twice this. Raise it behind a proxy, where every client has the proxy's address "
            + "(default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress = Admission.DEFAULTS.maxConnectionsPerAddress();

    @Option(names = "--max-players", description = "Client WebSockets (players) the gateway holds; past it a new "
            + "one gets server_full (default: ${DEFAULT-VALUE}).")
    int maxPlayers = Admission.DEFAULTS.maxPlayers();

    @Mixin
    TlsServerOptions tls = new TlsServerOptions();

    /** Without TLS: {@link #tls} checks the TLS options, and the caller adds what they give. */
    GatewaySettings settings() {
        GatewaySettings d = GatewaySettings.defaults(secret());
        return new GatewaySettings(gatewayId, host, port, d.maxFrameBytes(), maxInputRate, d.pendingInputLimit(),
                maxBufferedInputs, d.resumeSecret(), "", new Admission(origins(), helloTimeout,
                maxConnectionsPerAddress, maxPlayers), TlsFiles.NONE);
    }

    /**
     * --tls-cert and --tls-key (with {@code trust}, null for the JVM's default trust store), checked now.
     *
     * @throws IllegalArgumentException saying which option or file is wrong, and how
     */
    TlsFiles tls(Path trust) {
        return tls.files(trust);
    }

    /** The --allowed-origin ones and WORLDMESH_ALLOWED_ORIGINS's. */
    private List<String> origins() {
        List<String> all = new ArrayList<>(allowedOrigins);
        String env = System.getenv("WORLDMESH_ALLOWED_ORIGINS");
        if (env != null) {
            Arrays.stream(env.split(",")).map(String::trim).filter(o -> !o.isEmpty()).forEach(all::add);
        }
        return all;
    }

    /** WORLDMESH_SECRET when set (so that tokens survive restarts), otherwise a fresh random key. */
    private static byte[] secret() {
        String env = System.getenv("WORLDMESH_SECRET");
        if (env != null && env.length() >= 16) {
            return env.getBytes(StandardCharsets.UTF_8);
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
