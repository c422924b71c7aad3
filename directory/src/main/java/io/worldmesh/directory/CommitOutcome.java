package io.worldmesh.directory;

import java.util.Optional;

/** What the commit compare-and-set found. */
public sealed interface CommitOutcome {

    /** The handover committed: {@code owner} is the new record. */
    record Committed(OwnerRecord owner) implements CommitOutcome {
    }

    /** The token already had a decision (a resolve got there first, or this is a repeat); nothing changed. */
    record AlreadyDecided(Decision decision) implements CommitOutcome {
    }

    /** The player's owner record is not the expected one (or there is none); nothing changed. */
    record NotOwner(Optional<OwnerRecord> actual) implements CommitOutcome {
    }
}
