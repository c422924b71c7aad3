package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.Property;
import io.worldmesh.engine.session.SessionData;

/**
 * A player's authoritative state. Owned by the simulation thread; nothing else may touch it.
 */
public final class Player implements GamePlayer {

    private final String id;
    private final String name;
    private final String color;
    private final SessionData session;
    double x;
    double z;
    double vx;
    double vz;
    double yaw;
    /** Direction of travel from the last applied input, length at most 1. */
    double moveX;
    double moveZ;
    long lastAppliedSeq;
    long appliedInputs;
    Cell cell;
    long cellEnteredTick;
    /** The directory's epoch of this player's ownership: 1 for a new player, one more per handover. */
    long epoch = 1;
    boolean connected = true;
    long leaveAtTick = Long.MAX_VALUE;
    /** Frozen for a handover to another node: not simulated, no input, invisible to the game's hooks. */
    boolean frozen;
    long frozenAtTick;
    CellRef frozenTowards;
    /** After an aborted handover: held at the border, without asking the policy, before this tick. */
    long noRetryBeforeTick;
    /** Why the player is held at a border this tick (its HUD's {@code border}), or null. */
    String heldBecause;
    /** A player handed over at this tick: no snapshot for it, and no movement, at or below it. */
    long arrivedStateTick = -1;
    /** Where this player's own record sits in the tick's entity fragment buffer. */
    int fragmentStart;
    int fragmentEnd;

    Player(String id, String name, String color, SessionData session, double x, double z) {
        this.id = id;
        this.name = name;
        this.color = color;
        this.session = session;
        this.x = x;
        this.z = z;
    }

    @Override public String id() { return id; }
    @Override public String name() { return name; }
    @Override public double x() { return x; }
    @Override public double z() { return z; }
    @Override public CellRef cell() { return cell.ref(); }

    public String color() { return color; }
    public double vx() { return vx; }
    public double vz() { return vz; }
    public double yaw() { return yaw; }
    public double moveX() { return moveX; }
    public double moveZ() { return moveZ; }
    public long lastAppliedSeq() { return lastAppliedSeq; }
    public long appliedInputs() { return appliedInputs; }
    public long cellEnteredTick() { return cellEnteredTick; }
    public long epoch() { return epoch; }
    public boolean connected() { return connected; }
    public boolean frozen() { return frozen; }
    public SessionData session() { return session; }

    /** Why the player is held at a border this tick, or null when it is not. */
    public String heldBecause() { return heldBecause; }

    @Override
    public <T> T get(Property<T> property) {
        return session.get(property);
    }

    /** Throws {@link IllegalStateException} while the player is frozen for a handover. */
    @Override
    public <T> void set(Property<T> property, T value) {
        session.set(property, value);
    }

    @Override
    public String toString() {
        return "Player[" + id + " " + name + " at " + x + "," + z + " cell " + cell.ref()
                + (frozen ? " frozen" : "") + "]";
    }
}
