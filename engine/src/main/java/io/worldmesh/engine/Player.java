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
    boolean connected = true;
    long leaveAtTick = Long.MAX_VALUE;
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
    public long lastAppliedSeq() { return lastAppliedSeq; }
    public long appliedInputs() { return appliedInputs; }
    public boolean connected() { return connected; }
    public SessionData session() { return session; }

    @Override
    public <T> T get(Property<T> property) {
        return session.get(property);
    }

    @Override
    public <T> void set(Property<T> property, T value) {
        session.set(property, value);
    }

    @Override
    public String toString() {
        return "Player[" + id + " " + name + " at " + x + "," + z + " cell " + cell.ref() + "]";
    }
}
