package io.worldmesh.gametest;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.Property;

/**
 * A player of a {@link GameTest}, wherever it is: after a handover its reads come from the node that has it now.
 * Reading a player who has left fails.
 */
public final class TestPlayer {

    private final GameTest test;
    private final String id;

    TestPlayer(GameTest test, String id) {
        this.test = test;
        this.id = id;
    }

    public String id() {
        return id;
    }

    public String name() {
        return now().name();
    }

    public double x() {
        return now().x();
    }

    public double z() {
        return now().z();
    }

    public CellRef cell() {
        return now().cell();
    }

    /** The current value of one of the game's declared properties, typed as the property is. */
    public <T> T get(Property<T> property) {
        return now().get(property);
    }

    /** Still in the game (it has not left). */
    public boolean inGame() {
        return test.find(id).isPresent();
    }

    private GamePlayer now() {
        return test.find(id).orElseThrow(() -> new IllegalStateException("player " + id + " is not in the game"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TestPlayer p && p.id.equals(id) && p.test == test;
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
