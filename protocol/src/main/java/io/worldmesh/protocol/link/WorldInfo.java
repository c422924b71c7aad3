package io.worldmesh.protocol.link;

/** What a client is told about the world it joined, in its welcome. */
public record WorldInfo(String nodeId, String game, int tickRate, int cellsX, int cellsZ, double cellSize,
                        double maxSpeed) {
}
