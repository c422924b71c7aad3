package io.worldmesh.embedded;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Entity;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.World;
import io.worldmesh.games.orbs.OrbGame;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Looks at the world itself, not at counters: which expected players are missing, which are held by more than
 * one cell, and how many orbs exist in the world and in inventories. Run it on the simulation thread.
 *
 * @param lostPlayers      expected players that are not in the world, or in no cell
 * @param duplicateOwners  players that more than one cell holds (or one cell holds twice)
 * @param orbsTotal        orbs in the world plus in inventories; -1 when the game is not the orb game
 */
public record WorldAudit(int players, int lostPlayers, int duplicateOwners, long orbsTotal) {

    public static WorldAudit of(World world, Collection<String> expectedPlayers) {
        Map<String, Integer> holders = new HashMap<>();
        for (CellRef ref : world.cellRefs()) {
            for (String id : world.playersInCell(ref)) {
                holders.merge(id, 1, Integer::sum);
            }
        }
        int lost = 0;
        for (String id : expectedPlayers) {
            if (world.player(id).isEmpty() || !holders.containsKey(id)) {
                lost++;
            }
        }
        int duplicates = (int) holders.values().stream().filter(n -> n > 1).count();
        return new WorldAudit(world.playerCount(), lost, duplicates, orbsTotal(world));
    }

    public static long orbsTotal(World world) {
        if (!(world.game() instanceof OrbGame)) {
            return -1;
        }
        long inWorld = 0;
        for (Entity e : world.entities()) {
            if (OrbGame.ORB.equals(e.kind())) {
                inWorld++;
            }
        }
        long held = 0;
        for (Player p : world.players()) {
            held += p.get(OrbGame.HELD).size();
        }
        return inWorld + held;
    }
}
