package io.worldmesh.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InputLedgerTest {

    private final InputLedger ledger = new InputLedger("p1");

    @Test
    void everySentInputIsOwedUntilApplied() {
        for (int i = 0; i < 5; i++) {
            ledger.send();
        }
        ledger.apply(1);
        ledger.apply(2);
        assertThat(ledger.missing()).containsExactly(3, 3);
        assertThat(ledger.apply(2)).as("a second time").isFalse();
    }

    @Test
    void refusedAndAbandonedInputsAreNotOwed() {
        for (int i = 0; i < 6; i++) {
            ledger.send();
        }
        ledger.apply(1);
        ledger.refused(2);
        ledger.apply(3);
        ledger.abandonAbove(3); // resumed at last_applied_seq 3: 4..6 went with the old connection
        assertThat(ledger.missing()).containsExactly(0, 0);
        ledger.send();
        assertThat(ledger.missing()).containsExactly(1, 7);
        ledger.abandonAll();
        assertThat(ledger.missing()).containsExactly(0, 0);
    }
}
