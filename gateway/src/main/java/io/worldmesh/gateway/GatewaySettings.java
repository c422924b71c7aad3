package io.worldmesh.gateway;

import io.worldmesh.protocol.tls.TlsFiles;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a gateway.
 *
 * @param gatewayId             this gateway's name: connections are numbered per gateway, and nodes address it
 * @param host                  interface to listen on
 * @param port                  port to listen on; 0 picks a free one
 * @param maxFrameBytes         largest client frame accepted; larger ones close the connection with 1009
 * @param maxInputsPerSecond    inputs a client may keep up per second, with two seconds of them at once
 *                              ({@link InputBucket}); beyond, it is warned, then closed with 1008
 * @param pendingInputLimit     inputs held for a client whose player is still being attached
 * @param maxBufferedInputs     inputs kept per player that no snapshot covers yet (held during a handover
 *                              included); past it an input is refused with {@code overloaded}
 * @param resumeSecret          key that signs resume tokens (the cluster secret); at least 16 bytes
 * @param clusterId             the cluster resume tokens are bound to
 * @param admission             who may connect, how many, and how long they may wait to say hello
 * @param tls                   with a certificate, the page and {@code /ws} are served over HTTPS/WSS only; its
 *                              trust is what the links trust dialling {@code https} nodes
 */
public record GatewaySettings(String gatewayId, String host, int port, int maxFrameBytes, int maxInputsPerSecond,
                              int pendingInputLimit, int maxBufferedInputs, byte[] resumeSecret, String clusterId,
                              Admission admission, TlsFiles tls) {

    public static final int DEFAULT_PORT = 8080;

    public GatewaySettings {
        List<String> problems = new ArrayList<>();
        if (gatewayId == null || !gatewayId.matches("[A-Za-z0-9_.-]{1,64}")) {
            problems.add("gateway id must be 1-64 of [A-Za-z0-9_.-], was '" + gatewayId + "'");
        }
        if (port < 0 || port > 65535) problems.add("port must be 0..65535, was " + port);
        if (maxFrameBytes < 1024) problems.add("max frame must be >= 1024 bytes, was " + maxFrameBytes);
        if (maxInputsPerSecond < 1) problems.add("max inputs per second must be >= 1, was " + maxInputsPerSecond);
        if (pendingInputLimit < 0) problems.add("pending input limit must be >= 0, was " + pendingInputLimit);
        if (maxBufferedInputs < 1) problems.add("max buffered inputs must be >= 1, was " + maxBufferedInputs);
        if (resumeSecret == null || resumeSecret.length < 16) problems.add("resume secret must be >= 16 bytes");
        if (clusterId == null) problems.add("cluster id must be given");
        if (admission == null) problems.add("admission must be given");
        if (tls == null) problems.add("tls must be given (TlsFiles.NONE for none)");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid gateway settings: " + String.join("; ", problems));
        }
    }

    public static GatewaySettings defaults(byte[] resumeSecret) {
        return new GatewaySettings("g1", "0.0.0.0", DEFAULT_PORT, 64 * 1024, 60, 64, 256, resumeSecret, "",
                Admission.DEFAULTS, TlsFiles.NONE);
    }

    public GatewaySettings withPort(int newPort) {
        return new GatewaySettings(gatewayId, host, newPort, maxFrameBytes, maxInputsPerSecond, pendingInputLimit,
                maxBufferedInputs, resumeSecret, clusterId, admission, tls);
    }

    public GatewaySettings withHost(String newHost) {
        return new GatewaySettings(gatewayId, newHost, port, maxFrameBytes, maxInputsPerSecond, pendingInputLimit,
                maxBufferedInputs, resumeSecret, clusterId, admission, tls);
    }

    public GatewaySettings withMaxInputsPerSecond(int n) {
        return new GatewaySettings(gatewayId, host, port, maxFrameBytes, n, pendingInputLimit, maxBufferedInputs,
                resumeSecret, clusterId, admission, tls);
    }

    /** The cluster's secret and id: tokens this gateway signs resume on every gateway of the cluster, and no other. */
    public GatewaySettings forCluster(byte[] secret, String cluster) {
        return new GatewaySettings(gatewayId, host, port, maxFrameBytes, maxInputsPerSecond, pendingInputLimit,
                maxBufferedInputs, secret, cluster, admission, tls);
    }

    public GatewaySettings withAdmission(Admission a) {
        return new GatewaySettings(gatewayId, host, port, maxFrameBytes, maxInputsPerSecond, pendingInputLimit,
                maxBufferedInputs, resumeSecret, clusterId, a, tls);
    }

    public GatewaySettings withTls(TlsFiles t) {
        return new GatewaySettings(gatewayId, host, port, maxFrameBytes, maxInputsPerSecond, pendingInputLimit,
                maxBufferedInputs, resumeSecret, clusterId, admission, t);
    }
}
