package io.worldmesh.node.core;

/** What the node core made of a {@link NodeInput.BenchHandover}: a handover under way, or why not. */
public sealed interface BenchHandoverStart {

    /** The player is frozen and PREPARE is on its way to {@code targetNode}; {@code token} names the handover. */
    record Started(String token, String targetNode) implements BenchHandoverStart {
    }

    /** Nothing changed; {@code reason} says why (no such player, no node border next to it, a held crossing...). */
    record Refused(String reason) implements BenchHandoverStart {
    }
}
