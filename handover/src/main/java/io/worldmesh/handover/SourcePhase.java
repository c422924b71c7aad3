package io.worldmesh.handover;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an outbound handover is, with the transitions allowed between phases; any other transition is a bug
 * and throws.
 *
 * <pre>
 * PREPARING  --RESERVED-->            COMMITTING (commit compare-and-set in the directory)
 * PREPARING  --REJECTED/timeout/error-> RESOLVING
 * COMMITTING --Committed-->           CONFIRMING (COMMIT sent, resent until CONFIRMED)
 * COMMITTING --AlreadyDecided ABORT--> ABORTED
 * COMMITTING --NotOwner-->            FENCED
 * COMMITTING --timeout/error-->       RESOLVING
 * RESOLVING  --COMMIT-->              CONFIRMING
 * RESOLVING  --ABORT-->               ABORTED
 * CONFIRMING --CONFIRMED/CLEANUP/unknown_token--> DEPARTED (copy dropped)
 * DEPARTED   --CLEANUP/cleanup timeout--> DONE
 * </pre>
 */
public enum SourcePhase {
    PREPARING, COMMITTING, RESOLVING, CONFIRMING, DEPARTED, ABORTED, FENCED, DONE;

    private static final Map<SourcePhase, Set<SourcePhase>> NEXT = Map.of(
            PREPARING, EnumSet.of(COMMITTING, RESOLVING),
            COMMITTING, EnumSet.of(CONFIRMING, ABORTED, FENCED, RESOLVING),
            RESOLVING, EnumSet.of(CONFIRMING, ABORTED),
            CONFIRMING, EnumSet.of(DEPARTED),
            DEPARTED, EnumSet.of(DONE),
            ABORTED, EnumSet.noneOf(SourcePhase.class),
            FENCED, EnumSet.noneOf(SourcePhase.class),
            DONE, EnumSet.noneOf(SourcePhase.class));

    public boolean canMoveTo(SourcePhase next) {
        return NEXT.get(this).contains(next);
    }

    SourcePhase moveTo(SourcePhase next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("source handover cannot go from " + this + " to " + next);
        }
        return next;
    }

    public boolean terminal() {
        return NEXT.get(this).isEmpty();
    }
}
