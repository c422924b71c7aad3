package io.worldmesh.testkit;

/**
 * A run broke a rule. The message names the seed, the step, the rule and how to replay it, then the last events
 * before the failure.
 */
public final class SimulationFailure extends AssertionError {

    private final long seed;
    private final String game;
    private final Rule rule;
    private final long step;
    private final String replay;

    SimulationFailure(long seed, String game, Rule rule, String detail, long step, long atNanos, String replay,
                      String recentEvents, Throwable cause) {
        super("seed " + seed + " (game " + game + "): " + rule.label() + " broken at step " + step + ", t="
                + String.format(java.util.Locale.ROOT, "%.6f", atNanos / 1e9) + " s: " + detail
                + "\n  replay: " + replay
                + "\n  in SimulatorTest: -Dworldmesh.seed=" + seed + " -Dworldmesh.game=" + game
                + " -Dworldmesh.faults=" + (replay.contains("--faults crashes") ? "crashes" : "default")
                + "\n  last events:\n" + recentEvents, cause);
        this.seed = seed;
        this.game = game;
        this.rule = rule;
        this.step = step;
        this.replay = replay;
    }

    public long seed() {
        return seed;
    }

    public String game() {
        return game;
    }

    public Rule rule() {
        return rule;
    }

    public long step() {
        return step;
    }

    /** The command that runs this seed again, e.g. {@code ./worldmesh simulate --seed 1234 --game tag}. */
    public String replayCommand() {
        return replay;
    }
}
