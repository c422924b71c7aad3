package io.worldmesh.app;

import io.worldmesh.gateway.GatewaySettings;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

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

    GatewaySettings settings() {
        GatewaySettings d = GatewaySettings.defaults(secret());
        return new GatewaySettings(gatewayId, host, port, d.maxFrameBytes(), maxInputRate, d.pendingInputLimit(),
                maxBufferedInputs, d.resumeSecret(), "");
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
