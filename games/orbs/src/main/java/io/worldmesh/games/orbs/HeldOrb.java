package io.worldmesh.games.orbs;

import io.worldmesh.api.Codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** An orb in a player's inventory: which orb, and the tick at which it goes back into the world. */
public record HeldOrb(long orbId, long releaseTick) {

    /** The canonical encoding: orb id, then release tick. */
    public static final Codec<HeldOrb> CODEC = new Codec<>() {
        @Override public void write(HeldOrb value, DataOutput out) throws IOException {
            out.writeLong(value.orbId);
            out.writeLong(value.releaseTick);
        }

        @Override public HeldOrb read(DataInput in) throws IOException {
            return new HeldOrb(in.readLong(), in.readLong());
        }
    };
}
