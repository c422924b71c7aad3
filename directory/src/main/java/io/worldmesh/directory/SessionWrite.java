package io.worldmesh.directory;

/** One player's state in a checkpoint, written only if the directory still names the writer owner at {@code epoch}. */
public record SessionWrite(String playerId, long epoch, byte[] state) {
}
