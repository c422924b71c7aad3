package io.worldmesh.client;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * What a swarm of bots saw. Counts come from each bot's own checks of the server's messages.
 *
 * @param inputsLost        inputs sent but never acknowledged after the run settled, plus any the server skipped
 * @param violationsByKind  {@code violations} by kind, so a checker can tell a slow machine's snapshot gaps from
 *                          a broken rule
 */
public record SwarmReport(int players, int connected, long inputsSent, long inputsApplied, long inputsLost,
                          long inputsDuplicated, long snapshots, long localHandovers, long crossNodeHandovers,
                          long errors, long violations, Map<String, Long> violationsByKind, long maxGapMillis, Histogram inputLatency,
                          List<String> playerIds, List<String> sampleViolations, double seconds) {

    public double latencyMillis(double percentile) {
        return inputLatency.getTotalCount() == 0 ? 0 : inputLatency.getValueAtPercentile(percentile) / 1e6;
    }

    /** Rows of the summary table: name, value. */
    public List<String[]> rows() {
        return List.of(
                row("players", players + " (" + connected + " connected)"),
                row("seconds", String.format("%.1f", seconds)),
                row("inputs sent", inputsSent),
                row("inputs applied", inputsApplied),
                row("inputs lost", inputsLost),
                row("inputs duplicated", inputsDuplicated),
                row("snapshots", snapshots),
                row("snapshots/s per player", String.format("%.1f", seconds > 0 && players > 0
                        ? snapshots / seconds / players : 0)),
                row("local handovers", localHandovers),
                row("cross-node handovers", crossNodeHandovers),
                row("errors", errors),
                row("violations", violations),
                row("max snapshot gap", maxGapMillis + " ms"),
                row("input->snapshot p50", String.format("%.1f ms", latencyMillis(50))),
                row("input->snapshot p99", String.format("%.1f ms", latencyMillis(99))));
    }

    private static String[] row(String name, Object value) {
        return new String[] {name, String.valueOf(value)};
    }
}
