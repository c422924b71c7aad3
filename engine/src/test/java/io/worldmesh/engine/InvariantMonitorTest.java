package io.worldmesh.engine;

import io.worldmesh.api.Invariant;
import io.worldmesh.api.Verdict;
import io.worldmesh.api.WorldView;
import io.worldmesh.games.orbs.OrbGame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvariantMonitorTest {

    /** Holds when the nodes' "ok" counts add up to at least 1, settles at 0 and is violated below. */
    private static final Invariant ATLEAST_ONE = new Invariant() {
        @Override public String name() { return "at_least_one"; }
        @Override public Map<String, Long> measure(WorldView node) { return Map.of("ok", (long) node.players().size()); }
        @Override public int graceTicks() { return 2; }

        @Override
        public Verdict combine(List<Map<String, Long>> perNode) {
            long ok = Invariant.sum(perNode, "ok");
            return ok > 0 ? Verdict.HOLDS : ok == 0 ? new Verdict.Settling("none yet") : new Verdict.Violated("below");
        }
    };

    private static Map<String, Map<String, Long>> node(long ok) {
        return Map.of("at_least_one", Map.of("ok", ok));
    }

    @Test
    void settlingIsAViolationOnlyWhenItOutlastsTheGrace() {
        InvariantMonitor m = new InvariantMonitor(List.of(ATLEAST_ONE));
        assertThat(m.checkCluster(1, List.of(node(0), node(0))).get("at_least_one")).isInstanceOf(Verdict.Settling.class);
        m.checkCluster(2, List.of(node(0), node(0)));
        assertThat(m.tallies().get("at_least_one")).isEqualTo(new InvariantMonitor.Tally(2, 0, 2));
        m.checkCluster(3, List.of(node(0), node(0))); // the third in a row: past the grace of 2
        assertThat(m.tallies().get("at_least_one")).isEqualTo(new InvariantMonitor.Tally(3, 1, 2));
        assertThat(m.messages()).singleElement().asString().contains("tick 3").contains("none yet");
        m.checkCluster(4, List.of(node(0), node(1))); // holds: the streak ends
        m.checkCluster(5, List.of(node(0), node(0)));
        m.checkCluster(6, List.of(node(0), node(0)));
        assertThat(m.tallies().get("at_least_one").violations()).isEqualTo(1);
        m.checkCluster(7, List.of(node(-1), node(0))); // violated: at once
        assertThat(m.tallies().get("at_least_one")).isEqualTo(new InvariantMonitor.Tally(7, 2, 4));
    }

    /** "The total never goes down, unless someone left": a rule over time, from what the previous check saw. */
    private static final class NeverDown implements Invariant {
        final List<Since> seen = new java.util.ArrayList<>();

        @Override public String name() { return "never_down"; }
        @Override public Map<String, Long> measure(WorldView node) { return Map.of("total", 0L); }

        @Override
        public Verdict combine(List<Map<String, Long>> perNode, Since since) {
            seen.add(since);
            long now = Invariant.sum(perNode, "total");
            long before = Invariant.sum(since.previous(), "total");
            return since.first() || now >= before || since.leaves() > 0 ? Verdict.HOLDS
                    : new Verdict.Violated(before + " -> " + now + " with nobody gone");
        }
    }

    private static Map<String, Map<String, Long>> total(long t) {
        return Map.of("never_down", Map.of("total", t));
    }

    @Test
    void anInvariantOverTimeSeesThePreviousCheckAndTheJoinsAndLeavesSince() {
        NeverDown inv = new NeverDown();
        InvariantMonitor m = new InvariantMonitor(List.of(inv));
        m.checkCluster(10, List.of(total(3), total(4)), 2, 0);
        m.checkCluster(13, List.of(total(5), total(4)), 5, 0); // three ticks on, three joined
        m.checkCluster(14, List.of(total(1), total(4)), 5, 1); // down, but one left with what it had
        m.checkCluster(15, List.of(total(0), total(4)), 5, 1); // down with nobody gone: broken
        assertThat(inv.seen.getFirst()).isEqualTo(Invariant.Since.FIRST);
        assertThat(inv.seen.get(1)).isEqualTo(new Invariant.Since(false, 3, List.of(Map.of("total", 3L),
                Map.of("total", 4L)), 3, 0));
        assertThat(inv.seen.get(2).leaves()).isEqualTo(1);
        assertThat(m.tallies().get("never_down")).isEqualTo(new InvariantMonitor.Tally(4, 1, 0));
        assertThat(m.messages()).singleElement().asString().contains("tick 15").contains("5 -> 4");

        m.forgetPrevious(); // new worlds: the next check is a first again
        m.checkCluster(16, List.of(total(0)), 0, 0);
        assertThat(inv.seen.getLast().first()).isTrue();
    }

    @Test
    void aNodeWithoutAMeasureIsRefused() {
        InvariantMonitor m = new InvariantMonitor(List.of(ATLEAST_ONE));
        assertThatThrownBy(() -> m.checkCluster(1, List.of(node(1), Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at_least_one");
    }

    @Test
    void oneWorldIsAClusterOfOneAndMeasuresArePlainNumbers() {
        World w = Worlds.orbs();
        w.join("a", 10, 10);
        InvariantMonitor m = new InvariantMonitor(w.game().invariants());
        Map<String, Map<String, Long>> measures = m.measure(w);
        assertThat(measures).containsOnlyKeys("orbs_conserved");
        assertThat(measures.get("orbs_conserved")).containsEntry("in_world", 256L).containsEntry("held", 0L)
                .containsEntry("expected", ((OrbGame) w.game()).totalOrbs(w.bounds()));
        w.step();
        m.accept(w);
        assertThat(m.tallies().get("orbs_conserved")).isEqualTo(new InvariantMonitor.Tally(1, 0, 0));
        assertThat(m.checkWorlds(List.of(w)).get("orbs_conserved")).isEqualTo(Verdict.HOLDS);
    }
}
