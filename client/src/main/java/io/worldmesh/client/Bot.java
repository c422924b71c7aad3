package io.worldmesh.client;

import io.vertx.core.Vertx;

import java.util.SplittableRandom;

/**
 * A player that random-walks: it holds a heading for one to four seconds, then turns, so over a minute it
 * crosses many cell borders. Sends one input per period on its connection's context.
 */
final class Bot {

    private final GameConnection connection;
    private final SplittableRandom random;
    private final int periodsPerSecond;
    private final Runnable onSend;
    private long timer = -1;
    private int periodsLeft;
    private double heading;

    Bot(GameConnection connection, long seed, int inputRateHz, Runnable onSend) {
        this.connection = connection;
        this.onSend = onSend;
        this.random = new SplittableRandom(seed);
        this.periodsPerSecond = inputRateHz;
    }

    GameConnection connection() {
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
                connection.sendInput(0, 0, heading);
                onSend.run();
            }
        });
    }

    private void step() {
        if (periodsLeft-- <= 0) {
            heading = random.nextDouble(-Math.PI, Math.PI);
            periodsLeft = periodsPerSecond + random.nextInt(3 * periodsPerSecond);
        }
        connection.sendInput(Math.cos(heading), Math.sin(heading), heading);
        onSend.run();
    }
}
