package io.worldmesh.directory;

/**
 * One entry of the audit log: a player's owner record changed from {@code from} (null for a new player) to
 * {@code to} (null for a player that left), under handover {@code token} (empty when no handover).
 */
public record OwnershipChange(String playerId, OwnerRecord from, OwnerRecord to, String token) {
}
