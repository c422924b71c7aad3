package io.worldmesh.directory;

import java.util.Optional;

/** What a failover's compare-and-set did to one player (HANDOVER-RULES rule 12). */
public sealed interface TakeoverOutcome {

    /** The taker owns the player now, at {@code owner}'s epoch, and restores it from {@code state}. */
    record TookOver(OwnerRecord owner, byte[] state) implements TakeoverOutcome {
    }

    /** The player is not the dead node's at that epoch any more (handed on, taken already, or gone). */
    record NotOwner(Optional<OwnerRecord> current) implements TakeoverOutcome {
    }

    /** The node holds a live lease: it is not dead, and nothing was changed. */
    record LeaseLive(long incarnation) implements TakeoverOutcome {
    }
}
