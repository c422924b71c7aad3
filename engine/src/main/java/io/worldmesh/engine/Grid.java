package io.worldmesh.engine;

import io.worldmesh.api.CellRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The whole grid of cells, and which of them this node owns: geometry, lookups and keeping points in owned cells. */
final class Grid {

    private final WorldSettings settings;
    private final Cell[] cells;
    private List<Cell> owned;
    private List<CellRef> ownedRefs;

    Grid(WorldSettings settings, Set<CellRef> ownedCells) {
        this.settings = settings;
        this.cells = new Cell[settings.cellsX() * settings.cellsZ()];
        for (CellRef ref : ownedCells) {
            if (ref.cx() < 0 || ref.cz() < 0 || ref.cx() >= settings.cellsX() || ref.cz() >= settings.cellsZ()) {
                throw new IllegalArgumentException("owned cell " + ref + " is outside the " + settings.cellsX()
                        + " x " + settings.cellsZ() + " grid");
            }
        }
        List<Cell> own = new ArrayList<>();
        for (int cz = 0; cz < settings.cellsZ(); cz++) {
            for (int cx = 0; cx < settings.cellsX(); cx++) {
                int i = index(cx, cz);
                CellRef ref = new CellRef(cx, cz);
                cells[i] = new Cell(ref, i, settings.cellSizeM(), ownedCells.contains(ref));
                if (cells[i].owned) {
                    own.add(cells[i]);
                }
            }
        }
        this.owned = List.copyOf(own);
        this.ownedRefs = owned.stream().map(Cell::ref).toList();
        for (Cell cell : cells) {
            List<Cell> around = new ArrayList<>(9);
            for (int dz = -1; dz <= 1; dz++) {
                for (int dx = -1; dx <= 1; dx++) {
                    Cell n = cellAt(cell.ref().cx() + dx, cell.ref().cz() + dz);
                    if (n != null) {
                        around.add(n);
                    }
                }
            }
            cell.neighbourhood = List.copyOf(around);
        }
    }

    Cell[] cells() {
        return cells;
    }

    /** The owned cells in grid order. */
    List<Cell> owned() {
        return owned;
    }

    List<CellRef> ownedRefs() {
        return ownedRefs;
    }

    /** Makes {@code refs} owned here; returns the cells that were not before, in grid order. */
    List<Cell> adopt(java.util.Collection<CellRef> refs) {
        List<Cell> adopted = new ArrayList<>();
        for (CellRef ref : refs) {
            Cell c = cellAt(ref.cx(), ref.cz());
            if (c == null) {
                throw new IllegalArgumentException("cell " + ref + " is outside the grid");
            }
            if (!c.owned) {
                c.owned = true;
                adopted.add(c);
            }
        }
        adopted.sort(java.util.Comparator.comparingInt(c -> c.index));
        List<Cell> own = new ArrayList<>();
        for (Cell c : cells) {
            if (c.owned) {
                own.add(c);
            }
        }
        owned = List.copyOf(own);
        ownedRefs = owned.stream().map(Cell::ref).toList();
        return adopted;
    }

    boolean owns(CellRef ref) {
        Cell c = cellAt(ref.cx(), ref.cz());
        return c != null && c.owned;
    }

    Cell cellAt(int cx, int cz) {
        if (cx < 0 || cz < 0 || cx >= settings.cellsX() || cz >= settings.cellsZ()) {
            return null;
        }
        return cells[index(cx, cz)];
    }

    Cell cell(CellRef ref) {
        Cell c = cellAt(ref.cx(), ref.cz());
        if (c == null) {
            throw new IllegalArgumentException("no cell " + ref);
        }
        return c;
    }

    /** The cell under a point, clamped into the grid. */
    Cell cellUnder(double x, double z) {
        int cx = Math.clamp((long) Math.floor(x / settings.cellSizeM()), 0, settings.cellsX() - 1);
        int cz = Math.clamp((long) Math.floor(z / settings.cellSizeM()), 0, settings.cellsZ() - 1);
        return cells[index(cx, cz)];
    }

    double clampX(double x) {
        return Math.clamp(x, 0, Math.nextDown(settings.widthM()));
    }

    double clampZ(double z) {
        return Math.clamp(z, 0, Math.nextDown(settings.depthM()));
    }

    /**
     * The point itself when it lies in an owned cell (after clamping into the world), otherwise the nearest point
     * of the nearest owned cell; ties go to the first owned cell in grid order, so the answer is deterministic.
     */
    double[] ownedPoint(double x, double z) {
        double cx = clampX(x);
        double cz = clampZ(z);
        if (cellUnder(cx, cz).owned) {
            return new double[] {cx, cz};
        }
        double bestD2 = Double.POSITIVE_INFINITY;
        double[] best = null;
        for (Cell c : owned) {
            double px = Math.clamp(cx, c.minX, Math.nextDown(c.maxX));
            double pz = Math.clamp(cz, c.minZ, Math.nextDown(c.maxZ));
            double d2 = (px - cx) * (px - cx) + (pz - cz) * (pz - cz);
            if (d2 < bestD2) {
                bestD2 = d2;
                best = new double[] {px, pz};
            }
        }
        return best;
    }

    private int index(int cx, int cz) {
        return cz * settings.cellsX() + cx;
    }
}
