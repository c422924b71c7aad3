package io.worldmesh.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BenchPlayerTest {

    private final List<BenchPlayer> ready = new ArrayList<>();
    private final BenchPlayer p = new BenchPlayer(List.of("n1", "n2"), ready::add);

    private static HandoverSample committed(String from, String to, long start, long end) {
        return new HandoverSample("p1", from, to, start, end, 1, 1, 1, 3, null);
    }

    @Test
    void readyAtItsFirstSnapshotThenOnlyOnceTheNewOwnersHasArrived() {
        p.onSnapshot("n1", 100);
        assertThat(ready).hasSize(1);
        assertThat(p.owner()).isEqualTo("n1");

        p.onSnapshot("n1", 150); // before the handover: the source's
        p.handoverEnded(committed("n1", "n2", 160, 170));
        assertThat(ready).hasSize(1);
        p.onSnapshot("n1", 175); // late from the source: not the new owner's
        assertThat(ready).hasSize(1);
        p.onSnapshot("n2", 200);
        assertThat(ready).hasSize(2);
        assertThat(p.owner()).isEqualTo("n2");
    }

    @Test
    void theNewOwnersSnapshotMayComeBeforeTheHookAnswers() {
        p.onSnapshot("n1", 100);
        p.onSnapshot("n2", 165);
        p.handoverEnded(committed("n1", "n2", 160, 170));
        assertThat(ready).hasSize(2);
    }

    @Test
    void afterAFailureAnySnapshotAfterTheEndNamesTheOwner() {
        p.onSnapshot("n1", 100);
        p.handoverEnded(HandoverSample.failed("p1", "n1", 160, 170, "aborted: prepare_timeout"));
        p.onSnapshot("n1", 165);
        assertThat(ready).hasSize(1);
        p.onSnapshot("n1", 180);
        assertThat(ready).hasSize(2);
        assertThat(p.owner()).isEqualTo("n1");
    }

    @Test
    void theGapAroundAHandoverRunsFromTheLastSnapshotBeforeItToTheNewOwnersFirst() {
        p.onSnapshot("n1", 0);
        p.onSnapshot("n1", 50);
        p.onSnapshot("n1", 100);
        p.onSnapshot("n2", 220); // 120 across the handover
        p.onSnapshot("n2", 260);
        HandoverSample s = committed("n1", "n2", 120, 140);
        assertThat(p.gapAround(s)).isEqualTo(120);
        assertThat(p.gapAround(committed("n1", "n2", 100, 110))).as("a snapshot at the start counts as before")
                .isEqualTo(120);
        assertThat(p.gapAround(committed("n2", "n1", 230, 240))).as("no snapshot from n1 after").isEqualTo(-1);
        assertThat(p.gapAround(committed("n1", "n2", -5, 1))).as("none before").isEqualTo(-1);
    }
}
