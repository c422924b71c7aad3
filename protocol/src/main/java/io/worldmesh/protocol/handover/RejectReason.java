package io.worldmesh.protocol.handover;

import java.util.Locale;

/** Why a target refuses a PREPARE: typed, so that the source, the metrics and the logs agree. */
public enum RejectReason {
    /** The target is overloaded (too many reservations, or its mailbox is full). */
    BUSY,
    /** The state's checksum does not match its contents (rule 9). */
    CHECKSUM_MISMATCH,
    /** The state's codec version is unknown to this node. */
    UNKNOWN_VERSION,
    /** The session data declares a property this node's game does not know, or lacks one it does. */
    BAD_SESSION_DATA,
    /** The state cannot be decoded at all. */
    MALFORMED,
    /** The handover token's signature does not match, or it names another player, cells or epoch (rule 8). */
    BAD_TOKEN,
    /** The target does not own the cell the player is entering. */
    NOT_OWNER_OF_CELL,
    /** The target is itself handing this player over (rule 10: no ping-pong). */
    HANDING_OVER,
    /** The target's lifecycle does not accept handovers now (starting, draining, stopped). */
    NOT_RUNNING,
    /** The token's expiry has passed by the target's clock; a hint that lets it give up early (rule 13). */
    EXPIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RejectReason fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
