package io.worldmesh.games.tag;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.Verdict;
import io.worldmesh.engine.CellChange;
import io.worldmesh.engine.CrossingDecision;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.LocalClusterState;
import io.worldmesh.engine.OutboundTransfer;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.StageResult;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldListener;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TagGameTest {

    private static final TagSettings QUICK = new TagSettings(2.0, 10);

    private final List<String> events = new ArrayList<>();
    private final LocalClusterState store = new LocalClusterState();

    /** A world owning {@code cells}, whose cluster state {@link #step} serves from the shared {@link #store}. */
    private World node(WorldSettings settings, Set<CellRef> cells, long incarnation, List<OutboundTransfer> out) {
        World w = new World(settings, new TagGame(QUICK), new WorldPlacement(cells, 0, incarnation));
        w.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
            }

            @Override
            public void onGameEvent(String playerId, byte[] json) {
                events.add(playerId + " " + new String(json, StandardCharsets.UTF_8));
            }

            @Override
            public void onOutbound(OutboundTransfer transfer) {
                out.add(transfer);
            }
        });
        w.setCrossingPolicy((player, from, to) -> CrossingDecision.HANDOVER);
        return w;
    }

    private World wholeWorld() {
        return node(WorldSettings.DEFAULTS, WorldPlacement.wholeGrid(WorldSettings.DEFAULTS).ownedCells(), 0,
                new ArrayList<>());
    }

    /** One tick of a world, then its cluster state operations run against the store. */
    private void step(World w) {
        w.step();
        store.serve(w);
    }

    private static long its(World... worlds) {
        long n = 0;
        for (World w : worlds) {
            n += w.players().stream().filter(p -> p.get(TagGame.IT)).count();
        }
        return n;
    }

    @Test
    void afterJoinsExactlyOnePlayerIsItAndTheClusterStateNamesIt() {
        World w = wholeWorld();
        Player a = w.join("a", 100, 100);
        Player b = w.join("b", 300, 300);
        Player c = w.join("c", 400, 100);
        store.serve(w); // the joins' reads
        assertThat(its(w)).isZero(); // nobody before the store has answered: answers come on a later tick
        step(w); // the reads come back empty: each asks to make one of the players "it"
        step(w); // one swap wins; the others conflict
        assertThat(its(w)).isEqualTo(1);
        Player it = w.players().stream().filter(p -> p.get(TagGame.IT)).findFirst().orElseThrow();
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo(it.id());
        assertThat(it.get(TagGame.TIMES_IT)).isEqualTo(1);
        assertThat(List.of(a.id(), b.id(), c.id())).contains(it.id());
        for (int i = 0; i < 100; i++) {
            step(w); // reconciles keep it so
        }
        assertThat(its(w)).isEqualTo(1);
        assertThat(it.get(TagGame.IT)).isTrue();
    }

    /**
     * The key names a player of another node who left there while the write handing "it" on was lost with that node
     * (tag crash seeds 6285, 19697): nobody would ever write from that version again. A node with players asks, at
     * its reconcile read, to hand the key to one of its own if that player has left; while it is still in the game
     * (on another node, say), it keeps the key.
     */
    @Test
    void aKeyNamingAPlayerWhoLeftWithoutHandingItOnIsTakenOverFromItsVersion() {
        Set<String> left = new java.util.HashSet<>();
        LocalClusterState shared = new LocalClusterState(left::contains);
        shared.execute(new io.worldmesh.api.ClusterOp.CompareAndSet(TagGame.IT_KEY, 0, "p9-1")); // p9-1: elsewhere
        World w = wholeWorld();
        w.join("a", 100, 100);
        w.join("b", 300, 300);
        for (int i = 0; i < 2 * TagGame.RECONCILE_TICKS; i++) {
            w.step();
            shared.serve(w);
        }
        assertThat(its(w)).as("p9-1 is still in the game, on another node").isZero();
        assertThat(shared.get(TagGame.IT_KEY).value()).isEqualTo("p9-1");

        left.add("p9-1"); // its node crashed after its leave landed, before the write that would have followed it
        for (int i = 0; i < 2 * TagGame.RECONCILE_TICKS; i++) {
            w.step();
            shared.serve(w);
        }
        assertThat(its(w)).isEqualTo(1);
        Player it = w.players().stream().filter(p -> p.get(TagGame.IT)).findFirst().orElseThrow();
        assertThat(shared.get(TagGame.IT_KEY)).isEqualTo(new io.worldmesh.api.VersionedValue(it.id(), 2));
    }

    @Test
    void touchingPassesItOnAndTheStoreFollows() {
        World w = wholeWorld();
        Player a = w.join("a", 100, 100);
        store.serve(w);
        step(w);
        step(w);
        assertThat(a.get(TagGame.IT)).isTrue();
        Player b = w.join("b", 103, 100);
        for (int i = 0; i < 10; i++) {
            step(w); // "it" is safe, and so cannot tag, for 10 ticks after becoming it
        }
        w.applyInput(a.id(), new ClientMessage.Input(1, new Vec2(1, 0), 0, null));
        step(w); // 0.4 m closer: 2.6 m apart, still out of reach
        assertThat(b.get(TagGame.IT)).isFalse();
        step(w);
        step(w); // 1.8 m apart: tagged; a is "it" no more, and b is once the store names it
        assertThat(a.get(TagGame.IT)).isFalse();
        assertThat(b.get(TagGame.IT)).isFalse();
        step(w); // the tag's compare-and-set has been answered
        assertThat(b.get(TagGame.IT)).isTrue();
        assertThat(b.get(TagGame.TIMES_IT)).isEqualTo(1);
        assertThat(b.get(TagGame.TAGGED_BY)).isEqualTo(a.id());
        assertThat(events).anyMatch(e -> e.startsWith(b.id() + " ") && e.contains("\"name\":\"tagged\"")
                && e.contains("\"it\":\"" + b.id() + "\"") && e.contains("\"by\":\"" + a.id() + "\""));
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo(b.id());
        assertThat(w.cluster().latest(TagGame.IT_KEY).value()).isEqualTo(b.id());
        for (int i = 0; i < 40; i++) {
            step(w); // still touching, but b is safe for a while and a cannot be tagged straight back; reads agree
        }
        assertThat(its(w)).isEqualTo(1);
        assertThat(w.game().playerColor(w.player(b.id()).orElseThrow())).isNotNull();
        assertThat(w.game().playerColor(a)).isNull();
    }

    @Test
    void whenItLeavesAnotherPlayerIsItWithinTheGrace() {
        World w = wholeWorld();
        Player a = w.join("a", 10, 10);
        store.serve(w);
        step(w);
        step(w);
        assertThat(a.get(TagGame.IT)).isTrue();
        Player b = w.join("b", 300, 300);
        step(w);
        w.leave(a.id());
        store.serve(w);
        int ticks = 0;
        while (!b.get(TagGame.IT) && ticks < TagGame.GRACE_TICKS) {
            step(w);
            ticks++;
        }
        assertThat(b.get(TagGame.IT)).as("b is it %d ticks after a left", ticks).isTrue();
        step(w);
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo(b.id());

        w.leave(b.id()); // the last player: nobody is it, and the store says so
        store.serve(w);
        step(w);
        assertThat(TagGame.names(store.get(TagGame.IT_KEY).value())).isNull(); // "-b": b left
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo("-" + b.id());
        Player c = w.join("c", 50, 50);
        store.serve(w);
        step(w);
        step(w);
        assertThat(c.get(TagGame.IT)).isTrue();
    }

    @Test
    void theHudShowsYouOrWhoeverTheClusterStateNames() {
        World w = wholeWorld();
        Player a = w.join("a", 100, 100);
        Player b = w.join("b", 300, 300);
        store.serve(w);
        step(w);
        step(w);
        Player it = a.get(TagGame.IT) ? a : b;
        Player other = it == a ? b : a;
        Map<String, String> hudOfIt = new java.util.HashMap<>();
        Map<String, String> hudOfOther = new java.util.HashMap<>();
        w.game().hud(it, new Hud(hudOfIt), w.cluster());
        w.game().hud(other, new Hud(hudOfOther), w.cluster());
        assertThat(hudOfIt).containsEntry("it", "you").containsEntry("times_it", "1");
        assertThat(hudOfOther).containsEntry("it", it.id()).containsEntry("times_it", "0");
    }

    /** Two nodes owning the west and east halves of the grid share one store; players walk and are handed over. */
    @Test
    void twoNodesSharingTheStoreKeepAtMostOneItAlwaysAndExactlyOneWithinTheGrace() {
        WorldSettings crowded = new WorldSettings(4, 2, 16.0, 20, 8.0, 1.0, 2, 6.0, 20, 5);
        Set<CellRef> west = new HashSet<>();
        Set<CellRef> east = new HashSet<>();
        for (CellRef c : WorldPlacement.wholeGrid(crowded).ownedCells()) {
            (c.cx() < 2 ? west : east).add(c);
        }
        long tags = 0;
        long handovers = 0;
        Set<String> nodesOfIt = new HashSet<>();
        for (long seed = 0; seed < 12; seed++) {
            events.clear();
            LocalClusterState shared = new LocalClusterState();
            List<OutboundTransfer> fromWest = new ArrayList<>();
            List<OutboundTransfer> fromEast = new ArrayList<>();
            World w = node(crowded.withSeed(seed), west, 1, fromWest);
            World e = node(crowded.withSeed(seed + 100), east, 2, fromEast);
            InvariantMonitor monitor = new InvariantMonitor(w.game().invariants());
            SplittableRandom random = new SplittableRandom(seed);
            Map<String, long[]> seqs = new java.util.HashMap<>();
            for (int i = 0; i < 12; i++) {
                World at = i % 2 == 0 ? w : e;
                seqs.put(at.join("p" + i).id(), new long[1]);
            }
            for (int t = 0; t < 400; t++) {
                for (World node : List.of(w, e)) { // driven alternately
                    for (Player p : node.players()) {
                        if (!p.frozen() && random.nextInt(15) == 0) {
                            double a = random.nextDouble(-Math.PI, Math.PI);
                            long[] seq = seqs.computeIfAbsent(p.id(), id -> new long[1]);
                            seq[0] = Math.max(seq[0], p.lastAppliedSeq()) + 1;
                            node.applyInput(p.id(), new ClientMessage.Input(seq[0], new Vec2(Math.cos(a),
                                    Math.sin(a)), a, null));
                        }
                    }
                    if (random.nextInt(40) == 0) {
                        List<Player> active = node.players().stream().filter(p -> !p.frozen()).toList();
                        if (!active.isEmpty()) {
                            node.leave(active.get(random.nextInt(active.size())).id());
                        }
                    }
                    if (random.nextInt(40) == 0 && node.playerCount() < 20) {
                        node.join("late");
                    }
                    node.step();
                    shared.serve(node);
                }
                handovers += handOver(fromWest, w, e, shared) + handOver(fromEast, e, w, shared);
                Map<String, Verdict> verdicts = monitor.checkWorlds(List.of(w, e));
                assertThat(its(w, e)).as("seed %d tick %d", seed, t).isLessThanOrEqualTo(1);
                assertThat(verdicts.get("exactly_one_it")).isNotInstanceOf(Verdict.Violated.class);
                if (its(w) == 1) {
                    nodesOfIt.add("west");
                }
                if (its(e) == 1) {
                    nodesOfIt.add("east");
                }
            }
            InvariantMonitor.Tally tally = monitor.tallies().get("exactly_one_it");
            assertThat(tally.checks()).isEqualTo(400);
            assertThat(tally.violations()).as("seed %d: %s", seed, monitor.messages()).isZero();
            tags += events.stream().filter(ev -> ev.contains("\"tagged\"") && !ev.contains("\"by\":\"\"")).count();
        }
        assertThat(handovers).as("players handed between the nodes").isGreaterThan(50);
        assertThat(tags).as("tags seen, over all seeds").isGreaterThan(10);
        assertThat(nodesOfIt).as("it was on both nodes").containsExactlyInAnyOrder("west", "east");
    }

    /**
     * Every transfer by hand, as the node core will: the frozen state (as stateOf gives it) is staged on the
     * target, activated there at the next epoch, and the source lets the player go.
     */
    private static int handOver(List<OutboundTransfer> transfers, World source, World target,
                                LocalClusterState shared) {
        int n = 0;
        for (OutboundTransfer t : transfers) {
            assertThat(source.stateOf(t.playerId())).isEqualTo(t.state());
            StageResult staged = target.stage(source.stateOf(t.playerId()), t.from());
            assertThat(staged).isInstanceOf(StageResult.Staged.class);
            target.arrive(((StageResult.Staged) staged).player(), t.state().epoch() + 1);
            assertThat(source.depart(t.playerId())).isTrue();
            n++;
        }
        transfers.clear();
        shared.serve(target); // the arrivals' reads
        return n;
    }

    /** Collects HUD fields as text. */
    private record Hud(Map<String, String> out) implements io.worldmesh.api.HudFields {
        @Override
        public void put(String name, long value) {
            out.put(name, String.valueOf(value));
        }

        @Override
        public void put(String name, String value) {
            out.put(name, value);
        }
    }
}
