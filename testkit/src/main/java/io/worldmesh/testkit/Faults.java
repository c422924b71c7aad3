package io.worldmesh.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What goes wrong during a run's fault phase; the heal phase runs with {@link #NONE}. Rates are probabilities per
 * message (or per directory call, per client input).
 *
 * @param peerDrop              a handover request or its reply is lost; the caller hears "unreachable" after the
 *                              request timeout, as from the real HTTP client
 * @param peerDuplicate         a request or reply is delivered twice, the second copy late as a straggler (a
 *                              retransmission); a reply's second copy finds its call answered
 * @param peerDelayMax          each peer message is delayed uniformly up to this, so messages overtake each other
 * @param stragglerRate         a peer message is delayed much longer: the delayed duplicate that arrives after the
 *                              handover ended
 * @param stragglerDelayMax     how long a straggler may take
 * @param directoryLostRequest  a directory call never reaches the directory: not applied, the caller times out
 * @param directoryLostReply    a directory call is applied but its answer is lost: the caller times out
 * @param directoryDelayMax     each way to and from the directory is delayed uniformly up to this
 * @param linkDelayMax          each gateway-node link frame is delayed up to this; a link stays in order
 * @param linkStallRate         a link frame stalls its link (a TCP retransmission, say): it and every frame after it
 *                              wait, since a link stays in order
 * @param linkStallMax          how long a stall may last
 * @param disconnectRate        a client closes its connection instead of sending an input, and resumes later
 * @param clockSkewMax          each node's wall clock is off by up to this either way (tokens' expiry is a hint)
 * @param nodeHangRate          a node hangs at a tick (a long GC pause, SIGSTOP): it handles nothing, and what
 *                              reaches it waits, until the hang ends
 * @param nodeHangMax           how long a hang may last; longer than the lease TTL, a hang fences the node
 * @param nodeCrashRate         a node's process dies (kill -9) right after it handled an input, with only some of the
 *                              effects of that step carried out: whatever it held in memory is gone, and what was on
 *                              its way to it is lost; it starts again as a new incarnation and reconciles
 * @param nodeDownMax           how long a crashed node stays down before its supervisor starts it again
 * @param gatewayCrashRate      the gateway dies as a client acts: its routes and kept inputs are gone, every client's
 *                              connection drops and resumes with backoff on its next start, and its links to the
 *                              nodes drop (the nodes see a new start of it)
 * @param directoryOutageRate   per tick of the first node, the directory (Redis) goes down: every call that reaches it
 *                              meanwhile is lost and its caller times out
 * @param directoryOutageMax    how long an outage may last; longer than the lease TTL, every lease lapses
 */
public record Faults(double peerDrop, double peerDuplicate, Duration peerDelayMax, double stragglerRate,
                     Duration stragglerDelayMax, double directoryLostRequest, double directoryLostReply,
                     Duration directoryDelayMax, Duration linkDelayMax, double linkStallRate,
                     Duration linkStallMax, double disconnectRate, Duration clockSkewMax, double nodeHangRate,
                     Duration nodeHangMax, double nodeCrashRate, Duration nodeDownMax, double gatewayCrashRate,
                     double directoryOutageRate, Duration directoryOutageMax) {

    /** Faults without crashes or outages. */
    public Faults(double peerDrop, double peerDuplicate, Duration peerDelayMax, double stragglerRate,
                  Duration stragglerDelayMax, double directoryLostRequest, double directoryLostReply,
                  Duration directoryDelayMax, Duration linkDelayMax, double linkStallRate, Duration linkStallMax,
                  double disconnectRate, Duration clockSkewMax, double nodeHangRate, Duration nodeHangMax) {
        this(peerDrop, peerDuplicate, peerDelayMax, stragglerRate, stragglerDelayMax, directoryLostRequest,
                directoryLostReply, directoryDelayMax, linkDelayMax, linkStallRate, linkStallMax, disconnectRate,
                clockSkewMax, nodeHangRate, nodeHangMax, 0, Duration.ZERO, 0, 0, Duration.ZERO);
    }

    /** Faults without node hangs, crashes or outages. */
    public Faults(double peerDrop, double peerDuplicate, Duration peerDelayMax, double stragglerRate,
                  Duration stragglerDelayMax, double directoryLostRequest, double directoryLostReply,
                  Duration directoryDelayMax, Duration linkDelayMax, double linkStallRate, Duration linkStallMax,
                  double disconnectRate, Duration clockSkewMax) {
        this(peerDrop, peerDuplicate, peerDelayMax, stragglerRate, stragglerDelayMax, directoryLostRequest,
                directoryLostReply, directoryDelayMax, linkDelayMax, linkStallRate, linkStallMax, disconnectRate,
                clockSkewMax, 0, Duration.ZERO);
    }

    /** Nothing goes wrong; messages still take the base latency. */
    public static final Faults NONE = new Faults(0, 0, Duration.ZERO, 0, Duration.ZERO, 0, 0, Duration.ZERO,
            Duration.ZERO, 0, Duration.ZERO, 0, Duration.ZERO);

    /**
     * Rough enough to reach every row of the failure table within a few seconds of virtual time: delays of the
     * order of the handover's timeouts, so that timeouts and answers race.
     */
    public static final Faults DEFAULT = new Faults(0.08, 0.05, Duration.ofMillis(250), 0.04,
            Duration.ofMillis(900), 0.04, 0.04, Duration.ofMillis(120), Duration.ofMillis(80), 0.004,
            Duration.ofMillis(2500), 0.01, Duration.ofMillis(300), 0.002, Duration.ofSeconds(3));

    /**
     * The network misbehaves (peer messages dropped, duplicated, delayed; links delayed; clocks skewed) but the
     * directory answers every call at once and clients stay connected: to tell a game's own trouble with a slow
     * or lossy store from the handover's.
     */
    public static final Faults NETWORK_ONLY = new Faults(DEFAULT.peerDrop, DEFAULT.peerDuplicate,
            DEFAULT.peerDelayMax, DEFAULT.stragglerRate, DEFAULT.stragglerDelayMax, 0, 0, Duration.ZERO,
            DEFAULT.linkDelayMax, DEFAULT.linkStallRate, DEFAULT.linkStallMax, 0, DEFAULT.clockSkewMax);

    /**
     * The default's faults, and processes that die: nodes crash (and come back as new incarnations that reconcile),
     * the gateway crashes, the directory goes down for up to twice the lease. Run with failover on (see
     * {@link SimulationConfig#failover}).
     */
    public static final Faults CRASHES = new Faults(DEFAULT.peerDrop, DEFAULT.peerDuplicate, DEFAULT.peerDelayMax,
            DEFAULT.stragglerRate, DEFAULT.stragglerDelayMax, DEFAULT.directoryLostRequest,
            DEFAULT.directoryLostReply, DEFAULT.directoryDelayMax, DEFAULT.linkDelayMax, DEFAULT.linkStallRate,
            DEFAULT.linkStallMax, DEFAULT.disconnectRate, DEFAULT.clockSkewMax, DEFAULT.nodeHangRate,
            DEFAULT.nodeHangMax, 0.0008, Duration.ofSeconds(2), 0.002, 0.003, Duration.ofSeconds(3));

    private static final Map<String, Faults> PROFILES = new LinkedHashMap<>();

    static {
        PROFILES.put("default", DEFAULT);
        PROFILES.put("crashes", CRASHES);
        PROFILES.put("network-only", NETWORK_ONLY);
        PROFILES.put("none", NONE);
    }

    /** The named profiles, for the command line: {@code default}, {@code crashes}, {@code network-only}, {@code none}. */
    public static List<String> profiles() {
        return List.copyOf(PROFILES.keySet());
    }

    public static Faults profile(String name) {
        Faults f = PROFILES.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown fault profile '" + name + "'; known: " + profiles());
        }
        return f;
    }

    /** The profile's name, if these faults are one. */
    public Optional<String> profileName() {
        return PROFILES.entrySet().stream().filter(e -> e.getValue().equals(this)).map(Map.Entry::getKey)
                .findFirst();
    }

    /** Whether a process dies now and then: a node or the gateway crashes, or the directory goes down. */
    public boolean processesDie() {
        return nodeCrashRate > 0 || gatewayCrashRate > 0 || directoryOutageRate > 0;
    }

    public Faults {
        List<String> problems = new ArrayList<>();
        for (double rate : new double[] {peerDrop, peerDuplicate, stragglerRate, directoryLostRequest,
                directoryLostReply, linkStallRate, disconnectRate, nodeHangRate, nodeCrashRate, gatewayCrashRate,
                directoryOutageRate}) {
            if (!(rate >= 0 && rate <= 1)) {
                problems.add("rates must be in [0, 1], was " + rate);
            }
        }
        if (directoryLostRequest + directoryLostReply > 1) {
            problems.add("directory losses add up to more than 1");
        }
        for (Duration d : List.of(peerDelayMax, stragglerDelayMax, directoryDelayMax, linkDelayMax, linkStallMax,
                clockSkewMax, nodeHangMax, nodeDownMax, directoryOutageMax)) {
            if (d.isNegative()) {
                problems.add("delays must be >= 0, was " + d);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid faults: " + String.join("; ", problems));
        }
    }
}
