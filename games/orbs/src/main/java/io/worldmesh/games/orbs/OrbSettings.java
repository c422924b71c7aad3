package io.worldmesh.games.orbs;

/**
 * Tuning of the orb game.
 *
 * @param orbsPerCell   orbs in the world at start, per cell
 * @param pickupRadius  metres from a player's centre within which it collects an orb
 * @param holdTicks     ticks an orb stays in an inventory before it respawns elsewhere
 */
public record OrbSettings(int orbsPerCell, double pickupRadius, int holdTicks) {

    public static final OrbSettings DEFAULTS = new OrbSettings(4, 2.5, 200);

    public OrbSettings {
        if (orbsPerCell < 0 || pickupRadius <= 0 || holdTicks < 1) {
            throw new IllegalArgumentException("bad orb settings: " + orbsPerCell + ", " + pickupRadius + ", " + holdTicks);
        }
    }
}
