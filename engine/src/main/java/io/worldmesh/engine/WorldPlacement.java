package io.worldmesh.engine;

import io.worldmesh.api.CellRef;

import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a world sits in the cluster: the cells its node owns, the cluster-wide tick it starts after, and the
 * incarnation of this start of the node (fresh from the directory at every start), which makes the ids it mints
 * unique across the cluster.
 *
 * @param ownedCells   the grid stays whole, cells not owned are simply empty here; none for a node whose cells moved
 *                     to others while it was down, until an assignment gives it some
 * @param startTick    the world's first step goes to {@code startTick + 1}
 * @param incarnation  0 only for a single process; below 2^31 so that entity ids stay positive
 */
public record WorldPlacement(Set<CellRef> ownedCells, long startTick, long incarnation) {

    public WorldPlacement {
        Objects.requireNonNull(ownedCells, "ownedCells");
        if (startTick < 0) {
            throw new IllegalArgumentException("start tick must be >= 0, was " + startTick);
        }
        if (incarnation < 0 || incarnation > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("incarnation must be in 0..2^31-1, was " + incarnation);
        }
        TreeSet<CellRef> sorted = new TreeSet<>(CellRef.ORDER); // not Set.copyOf: its order changes between JVMs
        sorted.addAll(ownedCells);
        ownedCells = Collections.unmodifiableSet(sorted);
    }

    /** Every cell of the grid, from tick 0, incarnation 0: one process holding the whole world. */
    public static WorldPlacement wholeGrid(WorldSettings settings) {
        Set<CellRef> all = new HashSet<>();
        for (int cz = 0; cz < settings.cellsZ(); cz++) {
            for (int cx = 0; cx < settings.cellsX(); cx++) {
                all.add(new CellRef(cx, cz));
            }
        }
        return new WorldPlacement(all, 0, 0);
    }
}
