package io.worldmesh.client;

import io.vertx.core.Vertx;

import java.util.SplittableRandom;

/**
 * A player that random-walks: it holds a heading for one to four seconds, then turns, so over a minute it
 * crosses many cell borders. Sends one input per period on its connection's context. A periodic timer catches up
 * after its event loop stalled (a GC, a busy machine) by firing back to back; a client samples its input once per
 * frame and does not, so the bot skips the firings that come less than half a period after its last input. While
 * its player is reconnecting, it walks on in its head and sends nothing.
 *
 * <p>It plays the game as well as walking: at {@code actionRateHz} on average, an input carries one of the game's
 * declared actions ({@link BotActions}).
 */
final class Bot {

    private final ResumingPlayer connection;
    private final SplittableRandom random;
    private final int periodsPerSecond;
    private final Runnable onSend;
    private final Runnable onAction;
    private final BotActions actions;
    /** Chance that an input carries an action: the action rate over the input rate. */
    private final double actionChance;
    private final long periodNanos;
    private long timer = -1;
    private long lastSentNanos = Long.MIN_VALUE;
    private int periodsLeft;
    private double heading;

    Bot(ResumingPlayer connection, long seed, int inputRateHz, double actionRateHz, Runnable onSend,
        Runnable onAction) {
        this.connection = connection;
        this.onSend = onSend;
        this.onAction = onAction;
        this.actions = new BotActions(connection.declaredActions());
        this.actionChance = Math.min(1, actionRateHz / inputRateHz);
        this.random = new SplittableRandom(seed);
        this.periodsPerSecond = inputRateHz;
        this.periodNanos = 1_000_000_000L / inputRateHz;
    }

    ResumingPlayer connection() {
        return connection;
    }

    void start(Vertx vertx) {
        connection.context().runOnContext(v ->
                timer = vertx.setPeriodic(1000L / periodsPerSecond, id -> step()));
    }

    /** Stops sending, with a last input that stands the player still, as a player letting go of the keys does. */
    void stop(Vertx vertx) {
        connection.context().runOnContext(v -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
                if (connection.sendInput(0, 0, heading)) {
                    onSend.run();
                }
            }
        });
    }

    private void step() {
        long now = System.nanoTime();
        if (lastSentNanos != Long.MIN_VALUE && now - lastSentNanos < periodNanos / 2) {
            return; // a catch-up firing after a stall
        }
        lastSentNanos = now;
        if (periodsLeft-- <= 0) {
            heading = random.nextDouble(-Math.PI, Math.PI);
            periodsLeft = periodsPerSecond + random.nextInt(3 * periodsPerSecond);
        }
        var action = !actions.isEmpty() && random.nextDouble() < actionChance ? actions.pick(random) : null;
        if (connection.sendInput(Math.cos(heading), Math.sin(heading), heading, action)) {
            onSend.run();
            if (action != null) {
                onAction.run();
            }
        }
    }
}
