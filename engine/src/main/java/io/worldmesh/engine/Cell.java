package io.worldmesh.engine;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.CellView;

import java.util.ArrayList;
import java.util.List;

/** One square of the grid and everything in it; a cell the node does not own stays empty. */
final class Cell implements CellView {

    private final CellRef ref;
    final int index;
    final double minX;
    final double minZ;
    final double maxX;
    final double maxZ;
    /** Owned by this node; a node adopts the cells of a dead one (never gives one up yet). */
    boolean owned;
    /** The active players: what the game's hooks see. */
    final List<Player> players = new ArrayList<>();
    /** Players frozen for a handover: still here (and in snapshots, invariants), but not simulated. */
    final List<Player> frozen = new ArrayList<>();
    final List<WorldEntity> entities = new ArrayList<>();
    /** This cell and its existing neighbours, set once the grid is built. */
    List<Cell> neighbourhood = List.of();
    /** The tick's encoded entity records of this cell: [fragmentStart, fragmentEnd) in the shared buffer. */
    int fragmentStart;
    int fragmentEnd;

    Cell(CellRef ref, int index, double size, boolean owned) {
        this.ref = ref;
        this.index = index;
        this.owned = owned;
        this.minX = ref.cx() * size;
        this.minZ = ref.cz() * size;
        this.maxX = minX + size;
        this.maxZ = minZ + size;
    }

    CellRef ref() {
        return ref;
    }

    /** How far a point lies outside this cell, along the axis where it is farthest out; 0 when inside. */
    double distanceOutside(double x, double z) {
        double dx = Math.max(Math.max(minX - x, x - maxX), 0);
        double dz = Math.max(Math.max(minZ - z, z - maxZ), 0);
        return Math.max(dx, dz);
    }

    @Override public CellRef cell() { return ref; }
    @Override public List<Player> players() { return players; }
    @Override public List<WorldEntity> entities() { return entities; }
    @Override public List<Cell> neighbourhood() { return neighbourhood; }
}
