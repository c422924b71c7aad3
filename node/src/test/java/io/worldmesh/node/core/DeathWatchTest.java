package io.worldmesh.node.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeathWatchTest {

    private static final long TTL = 5_000;
    private final DeathWatch watch = new DeathWatch("n2", TTL);

    @Test
    void aNodeSeenAliveWhoseLeaseIsGoneIsDeadOnceTheDirectoryHasAnsweredForATtl() {
        watch.leasesRead(Map.of("n1", 4L, "n2", 5L, "n3", 6L), 0);
        watch.leasesRead(Map.of("n2", 5L, "n3", 6L), 1_000);
        assertThat(watch.dead(1_000)).as("the directory has not answered for a TTL yet").isEmpty();
        watch.leasesRead(Map.of("n2", 5L, "n3", 6L), 3_000);
        watch.leasesRead(Map.of("n2", 5L, "n3", 6L), TTL);
        assertThat(watch.dead(TTL)).containsExactly(Map.entry("n1", 4L));
        assertThat(watch.isTaker()).as("n2 is the lowest live id").isTrue();
        watch.takenOver("n1");
        assertThat(watch.dead(TTL + 1)).isEmpty();
    }

    /** After an outage every lease may have lapsed: the owners get one TTL to renew before anyone is dead. */
    @Test
    void afterTheDirectoryWasUnreachableNobodyIsDeadForOneTtl() {
        watch.leasesRead(Map.of("n1", 4L, "n2", 5L), 0);
        watch.readFailed();
        watch.leasesRead(Map.of("n2", 5L), 10 * TTL);
        assertThat(watch.dead(10 * TTL)).isEmpty();
        watch.leasesRead(Map.of("n1", 4L, "n2", 5L), 10 * TTL + 1_000); // n1 renewed in the grace
        watch.leasesRead(Map.of("n1", 4L, "n2", 5L), 11 * TTL);
        assertThat(watch.dead(11 * TTL)).isEmpty();
    }

    /**
     * A node that did not read for a while (it was paused, or past its lease itself while the directory was down)
     * cannot know that the directory answered the others meanwhile: its grace starts again, though no reading of its
     * own failed.
     */
    @Test
    void aGapInTheReadingsStartsTheGraceAgain() {
        watch.leasesRead(Map.of("n1", 4L, "n2", 5L), 0);
        watch.leasesRead(Map.of("n1", 4L, "n2", 5L), TTL / 3);
        watch.leasesRead(Map.of("n1", 4L, "n2", 5L), 2 * TTL / 3);
        watch.leasesRead(Map.of("n2", 5L), 4 * TTL); // n1's lease lapsed in an outage this node never saw
        assertThat(watch.dead(4 * TTL)).as("n1 gets its TTL to renew").isEmpty();
        watch.leasesRead(Map.of("n2", 5L), 4 * TTL + TTL / 2);
        watch.leasesRead(Map.of("n2", 5L), 5 * TTL);
        assertThat(watch.dead(5 * TTL)).as("and did not").containsExactly(Map.entry("n1", 4L));
    }

    @Test
    void aNodeNeverSeenAliveIsNeverDeadAndOnlyTheLowestLiveIdTakesOver() {
        DeathWatch n3 = new DeathWatch("n3", TTL);
        n3.leasesRead(Map.of("n2", 5L, "n3", 6L), 0);
        n3.leasesRead(Map.of("n2", 5L, "n3", 6L), 2 * TTL);
        assertThat(n3.dead(2 * TTL)).as("n1 never started").isEmpty();
        assertThat(n3.isTaker()).isFalse();
    }
}
