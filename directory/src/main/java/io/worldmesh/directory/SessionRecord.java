package io.worldmesh.directory;

/** A player's last durable state and the epoch it was written at. */
public record SessionRecord(long epoch, byte[] state) {

    public SessionRecord {
        state = state.clone();
    }

    @Override
    public byte[] state() {
        return state.clone();
    }
}
