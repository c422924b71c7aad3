package io.worldmesh.client;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * What a swarm of bots saw. Counts come from each bot's own checks of the server's messages.
 *
 * @param actionsSent       inputs that carried one of the game's actions
 * @param inputsLost        inputs sent but never acknowledged after the run settled, plus any the server skipped
 * @param violationsByKind  {@code violations} by kind, so a checker can tell a slow machine's snapshot gaps from
 *                          a broken rule
 * @param reconnects        how the bots' lost connections came back
 * @param recoveries        what node crashes set the bots back
 */
public record SwarmReport(int players, int connected, long inputsSent, long actionsSent, long inputsApplied, long inputsLost,
                          long inputsDuplicated, long snapshots, long localHandovers, long crossNodeHandovers,
                          long errors, long violations, Map<String, Long> violationsByKind, long maxGapMillis, Histogram inputLatency,
                          List<String> playerIds, List<String> sampleViolations, double seconds,
                          Reconnects reconnects, Recoveries recoveries) {

    /**
     * The {@code recovered} events the bots got: their node crashed and they were put back from a checkpoint.
     *
     * @param count             events
     * @param ticksLost         their {@code ticks_lost}, summed (the pause included)
     * @param inputsRolledBack  acknowledged inputs the checkpoints did not hold
     * @param maxRollbackTicks  the most one event set a bot back: its checkpoint to the last snapshot before it
     */
    public record Recoveries(long count, long ticksLost, long inputsRolledBack, long maxRollbackTicks) {
    }

    /**
     * The bots' reconnections.
     *
     * @param reconnects     lost connections that got a welcome again
     * @param playersLost    of those, the ones that came back as a new player: their own was gone
     * @param inputsResent   unacknowledged inputs sent again after a resume
     * @param inputsGivenUp  unacknowledged inputs not sent again (more than a bot keeps)
     * @param closedForGood  connections the server closed with a code that forbids coming back
     * @param stillDown      bots without a connection at the end
     * @param resumeNanos    from a lost connection to the welcome on the next one
     */
    public record Reconnects(long reconnects, long playersLost, long inputsResent, long inputsGivenUp,
                             long closedForGood, long stillDown, Histogram resumeNanos) {

        public double resumeMillis(double percentile) {
            return resumeNanos.getTotalCount() == 0 ? 0 : resumeNanos.getValueAtPercentile(percentile) / 1e6;
        }

        /** Nothing was lost: every lost connection came back to its own player. */
        public boolean clean() {
            return playersLost == 0 && closedForGood == 0 && stillDown == 0;
        }
    }

    public double latencyMillis(double percentile) {
        return inputLatency.getTotalCount() == 0 ? 0 : inputLatency.getValueAtPercentile(percentile) / 1e6;
    }

    /** Rows of the summary table: name, value. */
    public List<String[]> rows() {
        return List.of(
                row("players", players + " (" + connected + " connected)"),
                row("seconds", String.format("%.1f", seconds)),
                row("inputs sent", inputsSent),
                row("game actions sent", actionsSent),
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
                row("input->snapshot p99", String.format("%.1f ms", latencyMillis(99))),
                row("reconnects", reconnects.reconnects() + (reconnects.reconnects() == 0 ? ""
                        : String.format(" (resume p50 %.0f ms, p99 %.0f ms)", reconnects.resumeMillis(50),
                        reconnects.resumeMillis(99)))),
                row("players lost on reconnect", reconnects.playersLost() + reconnects.stillDown()
                        + (reconnects.stillDown() > 0 ? " (" + reconnects.stillDown() + " still down)" : "")),
                row("inputs resent / given up", reconnects.inputsResent() + " / " + reconnects.inputsGivenUp()));
    }

    private static String[] row(String name, Object value) {
        return new String[] {name, String.valueOf(value)};
    }
}
