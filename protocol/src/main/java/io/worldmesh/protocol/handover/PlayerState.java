package io.worldmesh.protocol.handover;

import java.util.Arrays;

/**
 * Everything of one player that crosses a handover, as one record: the engine's fields, where its input sequence
 * stands, its session data in the game's canonical encoding, and the epoch it is handed over at. {@code tick} is
 * the cluster-wide tick the player was frozen at: the target sends no snapshot at or below it.
 *
 * @param sessionData  the game's declared properties, canonically encoded (the engine's {@code PropertySchema})
 */
public record PlayerState(String playerId, String name, String color, double x, double z, double vx, double vz,
                          double yaw, double moveX, double moveZ, long lastAppliedSeq, long appliedInputs,
                          long cellEnteredTick, long tick, long epoch, byte[] sessionData) {

    public PlayerState {
        sessionData = sessionData.clone();
    }

    @Override
    public byte[] sessionData() {
        return sessionData.clone();
    }

    /** CRC32C over the canonical encoding of every field: what the target verifies before it reserves. */
    public long checksum() {
        return PlayerStateCodec.checksumOf(this);
    }

    /** The same state at another epoch (what the commit writes at e+1). */
    public PlayerState atEpoch(long newEpoch) {
        return new PlayerState(playerId, name, color, x, z, vx, vz, yaw, moveX, moveZ, lastAppliedSeq,
                appliedInputs, cellEnteredTick, tick, newEpoch, sessionData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlayerState s && Arrays.equals(PlayerStateCodec.encode(this), PlayerStateCodec.encode(s));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(PlayerStateCodec.encode(this));
    }

    @Override
    public String toString() {
        return "PlayerState[" + playerId + " at " + x + "," + z + " seq " + lastAppliedSeq + " tick " + tick
                + " epoch " + epoch + " " + sessionData.length + " B]";
    }
}
