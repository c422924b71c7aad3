package io.worldmesh.handover;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an inbound handover is, with the transitions allowed between phases.
 *
 * <pre>
 * CHECKING   --no decision for the token-->   RESERVED (RESERVED sent)
 * CHECKING   --token already decided-->       DISCARDED (409)
 * CHECKING   --ABORT-->                       RESOLVING (the decision read in flight is then ignored)
 * RESERVED   --COMMIT-->                      ACTIVATING (reads the owner record: rule 4)
 * RESERVED   --commit timeout / ABORT-->      RESOLVING
 * RESOLVING  --COMMIT-->                      ACTIVATING
 * RESOLVING  --ABORT-->                       DISCARDED
 * ACTIVATING --owner is (this node, e+1)-->   ROUTING (active; ROUTE resent until the gateway's ACK)
 * ACTIVATING --owner is anything else-->      DISCARDED
 * ROUTING    --ACK-->                         CLEANING (CLEANUP sent to the source)
 * CLEANING   --CLEANED_UP / given up-->       DONE
 * </pre>
 */
public enum TargetPhase {
    CHECKING, RESERVED, RESOLVING, ACTIVATING, ROUTING, CLEANING, DISCARDED, DONE;

    private static final Map<TargetPhase, Set<TargetPhase>> NEXT = Map.of(
            CHECKING, EnumSet.of(RESERVED, DISCARDED, RESOLVING),
            RESERVED, EnumSet.of(ACTIVATING, RESOLVING),
            RESOLVING, EnumSet.of(ACTIVATING, DISCARDED),
            ACTIVATING, EnumSet.of(ROUTING, DISCARDED),
            ROUTING, EnumSet.of(CLEANING),
            CLEANING, EnumSet.of(DONE),
            DISCARDED, EnumSet.noneOf(TargetPhase.class),
            DONE, EnumSet.noneOf(TargetPhase.class));

    public boolean canMoveTo(TargetPhase next) {
        return NEXT.get(this).contains(next);
    }

    TargetPhase moveTo(TargetPhase next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("target handover cannot go from " + this + " to " + next);
        }
        return next;
    }

    /** A staged copy exists and has not become active: it accepts no input. */
    public boolean staged() {
        return this == CHECKING || this == RESERVED || this == RESOLVING || this == ACTIVATING;
    }
}
