package io.worldmesh.api;

/** The size of the world: {@code cellsX * cellsZ} square cells of {@code cellSize} metres. */
public record WorldBounds(int cellsX, int cellsZ, double cellSize) {

    /** Width of the world along x, in metres. */
    public double width() {
        return cellsX * cellSize;
    }

    /** Depth of the world along z, in metres. */
    public double depth() {
        return cellsZ * cellSize;
    }
}
