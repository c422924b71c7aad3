package io.worldmesh.protocol.link;

/** What decoding one link frame gave. */
public sealed interface LinkDecoded<T> {

    record Ok<T>(T frame) implements LinkDecoded<T> {
    }

    /** Not a frame this side understands; the link counts it and drops it. */
    record Invalid<T>(String reason) implements LinkDecoded<T> {
    }
}
