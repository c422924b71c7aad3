package io.worldmesh.bench;

import java.util.List;

/**
 * What {@code bench cross-node} measured. Handover phases are the source node's report: prepare = freeze to
 * RESERVED, commit = RESERVED to the directory's commit known, route = commit to CLEANUP (after the gateway's ACK),
 * total = freeze to CLEANUP; all in milliseconds. Echo round trips are in microseconds, gaps in milliseconds.
 *
 * @param concInFlightMean handovers in flight on average over the window (the sum of their times in it over its
 *                         length), against the {@code concInFlight} the benchmark kept asking for
 * @param tunnelAdded      per pair of interleaved echoes: through the gateway minus straight on a node link
 * @param gap              per committed handover, the largest gap between the client's snapshots around it
 * @param handoverErrors   handovers that did not commit and clean up (refused, failed, aborted, timed out), in
 *                         every phase, the warm-up's included
 * @param clientErrors     server errors and protocol-checker violations the clients saw, and failed connects
 */
public record CrossNodeResult(int nodes, int players, int connected, Phase sequential, Phase concurrent,
                              int concInFlight, double concSeconds, double concHandoversPerS, double concInFlightMean,
                              Dist gatewayEchoUs, Dist linkEchoUs, Dist tunnelAddedUs, Dist gap, int gapsUnmeasured,
                              long handoverErrors, long clientErrors, long echoesLost, int lost, int duplicated,
                              boolean settled, List<String> problems) {

    /**
     * One phase's handovers: the source's phases, the hook's round trip as the benchmark timed it, and the
     * clients' snapshot gaps around them.
     */
    public record Phase(int count, double handoversPerS, Dist prepare, Dist commit, Dist route, Dist total,
                        Dist hookRoundTrip, Dist gap) {
    }

    public long errors() {
        return handoverErrors + clientErrors + echoesLost;
    }

    public int handovers() {
        return sequential.count() + concurrent.count();
    }

    /** The checks: no error, nobody lost or on two nodes, a quiet end, and at least one handover. */
    public boolean clean() {
        return errors() == 0 && lost == 0 && duplicated == 0 && settled && handovers() > 0;
    }
}
