package io.worldmesh.protocol.client;

/** The {@code code} field of an error message; see docs/protocol.md for when each is sent. */
public enum ErrorCode {
    BAD_JSON,
    UNKNOWN_TYPE,
    MISSING_FIELD,
    BAD_FIELD,
    HELLO_REQUIRED,
    ALREADY_HELLO,
    UNSUPPORTED_VERSION,
    BAD_RESUME,
    STALE_SEQ,
    BAD_ACTION,
    RATE_LIMITED,
    OVERLOADED,
    BINARY_UNSUPPORTED,
    TOO_MANY_CONNECTIONS,
    SERVER_FULL,
    PLAYER_GONE;

    /** The name on the wire, e.g. {@code bad_json}. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
