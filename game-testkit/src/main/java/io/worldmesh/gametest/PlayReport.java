package io.worldmesh.gametest;

/**
 * What a run of {@link GameTest#playRandomly} did.
 *
 * @param ticks      ticks stepped
 * @param joins      players who joined
 * @param leaves     players who left
 * @param actions    actions the game was handed
 * @param handovers  players handed over between nodes
 * @param checks     invariant checks made, over all invariants
 */
public record PlayReport(long ticks, long joins, long leaves, long actions, long handovers, long checks) {
}
