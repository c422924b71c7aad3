package io.worldmesh.api;

import java.util.Comparator;

/** A cell of the world grid, by its column {@code cx} and row {@code cz}. */
public record CellRef(int cx, int cz) {

    /** Row by row, then column by column: a fixed order, so that walking a set of cells is the same in every run. */
    public static final Comparator<CellRef> ORDER = Comparator.comparingInt(CellRef::cz).thenComparingInt(CellRef::cx);

    @Override
    public String toString() {
        return cx + "," + cz;
    }
}
