package io.worldmesh.engine.session;

/** Session data that this game cannot take: an unknown property or version, or corrupt bytes. */
public final class SessionDataException extends Exception {

    public SessionDataException(String message) {
        super(message);
    }
}
