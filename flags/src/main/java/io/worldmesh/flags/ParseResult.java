package io.worldmesh.flags;

/** The outcome of parsing a flag file: all of it, or nothing and why. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Invalid {

    record Parsed(FlagSet flags) implements ParseResult {
    }

    /** The file was refused as a whole; {@code reason} is for the operator who edited it. */
    record Invalid(String reason) implements ParseResult {
    }
}
