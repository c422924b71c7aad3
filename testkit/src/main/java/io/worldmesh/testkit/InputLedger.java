package io.worldmesh.testkit;

import java.util.BitSet;

/**
 * One player's inputs as its client sent them (consecutive seqs from 1) and as the cluster applied them. An input
 * is owed exactly once unless the gateway refused it or a disconnect abandoned it (the gateway drops what it held
 * for a closed connection; a resumed client goes on after the {@code last_applied_seq} it is told); an abandoned
 * input may still be applied, at most once.
 */
final class InputLedger {

    private final String playerId;
    private final BitSet refused = new BitSet();
    private final BitSet abandoned = new BitSet();
    private final BitSet applied = new BitSet();
    private long lastSent;
    private boolean abandonedAll;

    InputLedger(String playerId) {
        this.playerId = playerId;
    }

    String playerId() {
        return playerId;
    }

    long lastSent() {
        return lastSent;
    }

    long send() {
        return ++lastSent;
    }

    void refused(long seq) {
        refused.set((int) seq);
    }

    /** Resumed with the player at {@code lastApplied}: what was sent after it is gone with the old connection. */
    void abandonAbove(long lastApplied) {
        if (lastApplied < lastSent) {
            abandoned.set((int) lastApplied + 1, (int) lastSent + 1);
        }
    }

    /** The client lost this player for good (it left, or a resume found another player). */
    void abandonAll() {
        abandonedAll = true;
    }

    /**
     * A restore put the player back at {@code lastApplied}: what was applied after it was applied by a copy that is
     * gone. Those inputs are no longer owed (the gateway may still send them again, and then they count once more).
     * Returns how many there were.
     */
    int rollBackTo(long lastApplied) {
        int count = 0;
        for (int seq = (int) lastApplied + 1; seq <= lastSent; seq++) {
            if (applied.get(seq)) {
                applied.clear(seq);
                abandoned.set(seq);
                count++;
            }
        }
        return count;
    }

    /** Records that {@code seq} was applied; false when it had been applied before. */
    boolean apply(long seq) {
        if (applied.get((int) seq)) {
            return false;
        }
        applied.set((int) seq);
        return true;
    }

    /** How many owed inputs have not been applied, and the first of them (0 when none). */
    long[] missing() {
        if (abandonedAll) {
            return new long[] {0, 0};
        }
        long count = 0;
        long first = 0;
        for (int seq = 1; seq <= lastSent; seq++) {
            if (!applied.get(seq) && !refused.get(seq) && !abandoned.get(seq)) {
                count++;
                first = first == 0 ? seq : first;
            }
        }
        return new long[] {count, first};
    }
}
