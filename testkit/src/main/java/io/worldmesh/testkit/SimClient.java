package io.worldmesh.testkit;

import io.worldmesh.api.ActionSpec;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.link.ToGateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated game client: says hello, then sends inputs with increasing {@code seq}, a random walk mostly east
 * or west so that its player crosses node borders often, now and then back and forth on the spot (across a border,
 * a handover there and back), now and then a game action; sometimes it disconnects and resumes. In the heal phase it sends one last input that stops its player and then nothing more.
 */
final class SimClient {

    private sealed interface Phase {
        /** Not connected; {@code resumeId} is the player to ask back, or null for a new one. */
        record Idle(String resumeId) implements Phase { }
        record Connecting(long connectionId, String resumeId) implements Phase { }
        record Playing(long connectionId, String playerId) implements Phase { }
    }

    private static final long MS = 1_000_000L;
    /** One input in this many changes the heading. */
    private static final int TURN_ONE_IN = 8;
    /** One heading change in this many starts a spell of walking back and forth across wherever the player is. */
    private static final int DITHER_ONE_IN = 4;
    /** One input in this many carries a game action, when the game has any. */
    private static final int ACTION_ONE_IN = 20;

    private final int index;
    private final SplittableRandom random;
    private final Scheduler scheduler;
    private final SimGateway gateway;
    private final Map<String, InputLedger> ledgers;
    private final List<ActionSpec> actions;
    private final SimStats stats;
    private Phase phase = new Phase.Idle(null);
    private double heading;
    /** Inputs left in which the heading reverses every time: a player hovering on a border. */
    private int dithering;
    private boolean healing;
    private double disconnectRate;

    SimClient(int index, SplittableRandom random, Scheduler scheduler, SimGateway gateway,
              Map<String, InputLedger> ledgers, List<ActionSpec> actions, double disconnectRate, SimStats stats) {
        this.index = index;
        this.random = random;
        this.scheduler = scheduler;
        this.gateway = gateway;
        this.ledgers = ledgers;
        this.actions = actions;
        this.disconnectRate = disconnectRate;
        this.stats = stats;
        this.heading = random.nextBoolean() ? 0 : Math.PI;
    }

    /** Its first hello, at a random moment of the first half second. */
    void start() {
        later(random.nextLong(500 * MS));
    }

    /** No more walking and no more disconnects: stop the player at the next turn. */
    void heal() {
        healing = true;
        disconnectRate = 0;
    }

    int index() {
        return index;
    }

    /**
     * The connection closed under this client (its gateway died, or closed it): the client resumes its player (or
     * asks again for a new one) once it can connect again.
     */
    void onConnectionLost() {
        phase = switch (phase) {
            case Phase.Idle idle -> idle;
            case Phase.Connecting c -> new Phase.Idle(c.resumeId());
            case Phase.Playing p -> new Phase.Idle(p.playerId());
        };
        // With backoff; should a turn be scheduled already, the later one finds the client connecting and does nothing.
        later(100 * MS + random.nextLong(400 * MS));
    }

    /** The player this client plays now, or null. */
    String playerId() {
        return phase instanceof Phase.Playing p ? p.playerId() : null;
    }

    void turn() {
        switch (phase) {
            case Phase.Idle idle -> phase = new Phase.Connecting(gateway.hello(this, "c" + index, idle.resumeId()),
                    idle.resumeId());
            case Phase.Connecting c -> { }
            case Phase.Playing p -> play(p);
        }
    }

    private void play(Phase.Playing p) {
        if (healing) {
            send(p, Vec2.ZERO, null);
            return; // the last input; the next attach (if any) sends another
        }
        if (random.nextDouble() < disconnectRate) {
            stats.disconnects++;
            gateway.close(p.connectionId(), p.playerId());
            phase = new Phase.Idle(p.playerId());
            later(100 * MS + random.nextLong(1900 * MS));
            return;
        }
        if (dithering > 0) {
            dithering--;
            heading += Math.PI;
        } else if (random.nextInt(TURN_ONE_IN) == 0) {
            heading = random.nextInt(5) == 0 ? random.nextDouble(2 * Math.PI)
                    : (random.nextBoolean() ? 0 : Math.PI) + random.nextDouble(-0.3, 0.3);
            dithering = random.nextInt(DITHER_ONE_IN) == 0 ? 4 + random.nextInt(10) : 0;
        }
        ClientMessage.GameAction action = !actions.isEmpty() && random.nextInt(ACTION_ONE_IN) == 0
                ? action(actions.get(random.nextInt(actions.size()))) : null;
        send(p, new Vec2(Math.cos(heading), Math.sin(heading)), action);
        later(40 * MS + random.nextLong(160 * MS));
    }

    private void send(Phase.Playing p, Vec2 move, ClientMessage.GameAction action) {
        InputLedger ledger = ledgers.get(p.playerId());
        long seq = ledger.send();
        stats.inputsSent++;
        gateway.input(p.connectionId(), p.playerId(), new ClientMessage.Input(seq, move, heading, null, action));
    }

    void onAttached(ToGateway.Attached a) {
        if (!(phase instanceof Phase.Connecting c) || c.connectionId() != a.connectionId()) {
            return;
        }
        if (c.resumeId() != null) {
            if (a.resumed() && a.playerId().equals(c.resumeId())) {
                ledgers.get(c.resumeId()).abandonAbove(a.lastAppliedSeq());
            } else {
                ledgers.get(c.resumeId()).abandonAll();
            }
        }
        ledgers.computeIfAbsent(a.playerId(), InputLedger::new);
        phase = new Phase.Playing(a.connectionId(), a.playerId());
        later(random.nextLong(50 * MS));
    }

    void onRefused(long connectionId) {
        if (phase instanceof Phase.Connecting c && c.connectionId() == connectionId) {
            phase = new Phase.Idle(c.resumeId());
            later(100 * MS + random.nextLong(300 * MS));
        }
    }

    void onInputRefused(String playerId, long seq) {
        InputLedger ledger = ledgers.get(playerId);
        if (ledger != null) {
            ledger.refused(seq);
        }
    }

    private void later(long delayNanos) {
        scheduler.after(delayNanos, new Event.ClientTurn(index));
    }

    private static ClientMessage.GameAction action(ActionSpec spec) {
        Map<String, Object> fields = new HashMap<>();
        spec.fields().forEach((name, type) -> fields.put(name, switch (type) {
            case STRING -> "sim";
            case NUMBER -> 1.0;
            case BOOLEAN -> Boolean.TRUE;
        }));
        return new ClientMessage.GameAction(spec.name(), fields);
    }
}
