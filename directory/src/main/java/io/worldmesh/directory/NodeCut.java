package io.worldmesh.directory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's checkpoint as one consistent cut: the entities on the ground of each cell it owns and the state of each
 * of its players, taken at one tick and written in one atomic step, so that a failover restores a cell's ground and
 * the holdings of the players who touched it from the same moment (an orb is then neither on the ground and in a
 * hand, nor in neither). Players who left the game for good since the last cut are removed in the same step, since
 * what they gave back is on the cut's ground.
 *
 * <p>The whole cut is refused when {@code incarnation} is below the node's lease fence (its cells and players were
 * taken over); each player write and removal is fenced by the player's owner record besides (rule 6).
 *
 * @param ground  the cell key ({@link #cellKey}) of every cell the node owns, with its entities encoded
 */
public record NodeCut(String nodeId, long incarnation, Map<String, byte[]> ground, List<SessionWrite> players,
                      List<Removal> removals) {

    /** A player who left for good, to be removed if the directory still names the node its owner at {@code epoch}. */
    public record Removal(String playerId, long epoch) {
    }

    public NodeCut {
        ground = Collections.unmodifiableMap(new TreeMap<>(ground));
        players = List.copyOf(players);
        removals = List.copyOf(removals);
    }

    /** A cut of players only (a node whose game keeps nothing on the ground, or a test). */
    public static NodeCut ofPlayers(String nodeId, long incarnation, List<SessionWrite> players) {
        return new NodeCut(nodeId, incarnation, Map.of(), players, List.of());
    }

    /** How a cell is named in the store: {@code "cx:cz"}. */
    public static String cellKey(int cx, int cz) {
        return cx + ":" + cz;
    }
}
