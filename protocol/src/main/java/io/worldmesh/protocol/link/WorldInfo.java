package io.worldmesh.protocol.link;

import java.util.List;
import java.util.Map;

/**
 * What a client is told about the world it joined, in its welcome. {@code actions}: the game's actions, each
 * with its fields and their types ({@code string}, {@code number}, {@code boolean}), so that a client can offer
 * them without knowing the game. {@code nodes} and {@code owners}: which node owns each cell, as an index into
 * {@code nodes} per cell in row-major order ({@code cz * cellsX + cx}); empty when one node owns everything.
 */
public record WorldInfo(String nodeId, String game, int tickRate, int cellsX, int cellsZ, double cellSize,
                        double maxSpeed, Map<String, Map<String, String>> actions, List<String> nodes, int[] owners) {

    public WorldInfo {
        actions = Map.copyOf(actions);
        nodes = List.copyOf(nodes);
        owners = owners.clone();
    }

    public WorldInfo(String nodeId, String game, int tickRate, int cellsX, int cellsZ, double cellSize,
                     double maxSpeed, Map<String, Map<String, String>> actions) {
        this(nodeId, game, tickRate, cellsX, cellsZ, cellSize, maxSpeed, actions, List.of(), new int[0]);
    }

    @Override
    public int[] owners() {
        return owners.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorldInfo w && nodeId.equals(w.nodeId) && game.equals(w.game) && tickRate == w.tickRate
                && cellsX == w.cellsX && cellsZ == w.cellsZ && Double.compare(cellSize, w.cellSize) == 0
                && Double.compare(maxSpeed, w.maxSpeed) == 0 && actions.equals(w.actions) && nodes.equals(w.nodes)
                && java.util.Arrays.equals(owners, w.owners);
    }

    @Override
    public int hashCode() {
        return nodeId.hashCode() * 31 + java.util.Arrays.hashCode(owners);
    }
}
