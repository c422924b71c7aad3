package io.worldmesh.api;

/** A cell of the world grid, by its column {@code cx} and row {@code cz}. */
public record CellRef(int cx, int cz) {

    @Override
    public String toString() {
        return cx + "," + cz;
    }
}
