package io.worldmesh.directory;

/** What a node hears when it asks to hold its lease (HANDOVER-RULES rule 12). */
public sealed interface LeaseOutcome {

    /** The lease is this incarnation's for the TTL asked, counted from when the directory took the request. */
    record Held() implements LeaseOutcome {
    }

    /** Another incarnation of the same node id holds a live lease: two processes started with one id, or a restart
     *  that came back before its old lease ran out. */
    record HeldByOther(long incarnation) implements LeaseOutcome {
    }

    /** This incarnation's players were taken over while its lease had run out: it may never hold the lease again,
     *  and must stop (a restart is a new incarnation). */
    record TakenOver() implements LeaseOutcome {
    }
}
