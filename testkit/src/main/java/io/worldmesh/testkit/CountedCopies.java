package io.worldmesh.testkit;

import io.worldmesh.api.Entity;
import io.worldmesh.api.GamePlayer;
import io.worldmesh.api.WorldBounds;
import io.worldmesh.api.WorldView;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.World;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A node's world as a game invariant should see it: every entity, and only the copies of players that count. While
 * a target has activated a player and its source has not yet dropped its frozen copy, both hold it; the copy at the
 * player's highest epoch counts, so the source's frozen copy counts only until the target's exists.
 */
final class CountedCopies implements WorldView {

    private final World world;
    private final ToLongFunction<String> highestEpoch;

    CountedCopies(World world, ToLongFunction<String> highestEpoch) {
        this.world = world;
        this.highestEpoch = highestEpoch;
    }

    @Override
    public long tick() {
        return world.tick();
    }

    @Override
    public WorldBounds bounds() {
        return world.bounds();
    }

    @Override
    public List<? extends GamePlayer> players() {
        return world.players().stream().filter(this::counts).toList();
    }

    private boolean counts(Player p) {
        return p.epoch() >= highestEpoch.applyAsLong(p.id());
    }

    @Override
    public List<? extends Entity> entities() {
        return world.entities();
    }
}
