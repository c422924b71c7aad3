package io.worldmesh.protocol.link;

import java.util.Map;

/**
 * What a client is told about the world it joined, in its welcome. {@code actions}: the game's actions, each
 * with its fields and their types ({@code string}, {@code number}, {@code boolean}), so that a client can offer
 * them without knowing the game.
 */
public record WorldInfo(String nodeId, String game, int tickRate, int cellsX, int cellsZ, double cellSize,
                        double maxSpeed, Map<String, Map<String, String>> actions) {

    public WorldInfo {
        actions = Map.copyOf(actions);
    }
}
