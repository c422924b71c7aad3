package io.worldmesh.directory;

import io.worldmesh.api.CellRef;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which node owns each cell: a central table, so that one cell can later move to another node by itself.
 * {@code version} grows with every change.
 */
public record CellAssignment(Map<CellRef, String> owners, long version) {

    public CellAssignment {
        // Sorted, not Map.copyOf: its order changes from one JVM to the next, and a seeded simulation must replay.
        TreeMap<CellRef, String> sorted = new TreeMap<>(CellRef.ORDER);
        sorted.putAll(owners);
        owners = Collections.unmodifiableMap(sorted);
    }

    /** The same table at another version. */
    public CellAssignment withVersion(long newVersion) {
        return new CellAssignment(owners, newVersion);
    }

    /** The table with every cell of {@code from} given to {@code to}, at the next version. */
    public CellAssignment moving(String from, String to) {
        Map<CellRef, String> next = new LinkedHashMap<>(owners);
        next.replaceAll((cell, node) -> node.equals(from) ? to : node);
        return new CellAssignment(next, version + 1);
    }

    /** Refuses a replacement that would not move the version on. */
    public void requireAbove(long expectedVersion) {
        if (version <= expectedVersion) {
            throw new IllegalArgumentException("assignment version " + version + " is not above " + expectedVersion);
        }
    }

    public Optional<String> ownerOf(CellRef cell) {
        return Optional.ofNullable(owners.get(cell));
    }

    public List<String> nodes() {
        return List.copyOf(new TreeSet<>(owners.values()));
    }

    public List<CellRef> cellsOf(String node) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(node)).map(Map.Entry::getKey)
                .sorted((a, b) -> a.cz() != b.cz() ? Integer.compare(a.cz(), b.cz()) : Integer.compare(a.cx(), b.cx()))
                .toList();
    }

    /**
     * The grid split into vertical stripes of whole columns, one per node in the order given: neighbouring
     * stripes share a border, so players walking east or west cross between nodes.
     */
    public static CellAssignment stripes(int cellsX, int cellsZ, List<String> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no nodes to assign cells to");
        }
        Map<CellRef, String> owners = new LinkedHashMap<>();
        for (int cz = 0; cz < cellsZ; cz++) {
            for (int cx = 0; cx < cellsX; cx++) {
                int stripe = (int) ((long) cx * nodes.size() / cellsX);
                owners.put(new CellRef(cx, cz), nodes.get(stripe));
            }
        }
        return new CellAssignment(owners, 1);
    }
}
