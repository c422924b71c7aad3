package io.worldmesh.engine;

/** What the node decides when a player crosses into a cell another node owns. */
public sealed interface CrossingDecision {

    CrossingDecision HANDOVER = new Handover();

    /** Start a handover: the world freezes the player at once and reports an {@link OutboundTransfer}. */
    record Handover() implements CrossingDecision {
    }

    /** Keep the player in its cell, at the border; {@code reason} shows in its HUD as {@code border}. */
    record Hold(String reason) implements CrossingDecision {
        public Hold {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a hold needs a reason");
            }
        }
    }
}
