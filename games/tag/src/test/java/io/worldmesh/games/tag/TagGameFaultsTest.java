package io.worldmesh.games.tag;

import io.worldmesh.api.CellRef;
import io.worldmesh.api.ClusterOp;
import io.worldmesh.api.ClusterStateReply;
import io.worldmesh.engine.CellChange;
import io.worldmesh.engine.InvariantMonitor;
import io.worldmesh.engine.LocalClusterState;
import io.worldmesh.engine.OutboundTransfer;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.StageResult;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldListener;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.protocol.handover.PlayerState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ways tag broke under the simulator's directory faults ({@code ./worldmesh simulate --game tag}), each
 * driven by hand: two nodes (west and east halves of the grid) share one store, and the test decides which answers
 * come late, which never come, and what happens in between.
 */
class TagGameFaultsTest {

    private static final TagSettings QUICK = new TagSettings(2.0, 10);
    private static final WorldSettings GRID = new WorldSettings(4, 2, 16.0, 20, 8.0, 1.0, 2, 6.0, 20, 5);

    private final LocalClusterState store = new LocalClusterState();
    private final List<OutboundTransfer> fromWest = new ArrayList<>();
    private final World west = node(0, 1, fromWest);
    private final World east = node(2, 2, new ArrayList<>());
    private final InvariantMonitor monitor = new InvariantMonitor(west.game().invariants());

    private static World node(int firstColumn, long incarnation, List<OutboundTransfer> out) {
        Set<CellRef> cells = new HashSet<>();
        for (CellRef c : WorldPlacement.wholeGrid(GRID).ownedCells()) {
            if (c.cx() >= firstColumn && c.cx() < firstColumn + 2) {
                cells.add(c);
            }
        }
        World w = new World(GRID.withSeed(incarnation), new TagGame(QUICK), new WorldPlacement(cells, 0, incarnation));
        w.setListener(new WorldListener() {
            @Override
            public void onCellChange(CellChange change) {
            }

            @Override
            public void onGameEvent(String playerId, byte[] json) {
            }

            @Override
            public void onOutbound(OutboundTransfer transfer) {
                out.add(transfer);
            }
        });
        return w;
    }

    /** Both nodes one tick on, every operation answered at once; checks the invariant over both. */
    private void tick() {
        for (World w : List.of(west, east)) {
            w.step();
            store.serve(w);
        }
        check();
    }

    private void check() {
        assertThat(its()).as("players it at tick %d", west.tick()).isLessThanOrEqualTo(1);
        monitor.checkWorlds(List.of(west, east));
        assertThat(monitor.tallies().get("exactly_one_it").violations()).as("%s", monitor.messages()).isZero();
    }

    /** Players it over both nodes, frozen ones included: a frozen player counts on its source. */
    private long its() {
        return west.players().stream().filter(p -> p.get(TagGame.IT)).count()
                + east.players().stream().filter(p -> p.get(TagGame.IT)).count();
    }

    /** Ticks (at most the grace) until someone is it. */
    private int ticksUntilSomeoneIsIt() {
        int ticks = 0;
        while (its() == 0 && ticks <= TagGame.GRACE_TICKS) {
            tick();
            ticks++;
        }
        return ticks;
    }

    /**
     * Tag seed 700 ("a late read names the old it while the player it tagged is frozen"): a read is answered while
     * {@code a} is "it" and reaches its node late, after {@code a} has tagged {@code b}, and while {@code b} is frozen
     * for a handover. The old game made {@code b} "it" at the tag, and the late read, naming {@code a} with {@code b}
     * out of sight, made {@code a} "it" again: two at once. Now {@code b} is "it" only once the store names it, and
     * the late read, at a version {@code a} has already seen, changes nothing.
     *
     * <p>Fails with the game as it was before this test (two players it), and with the mutant "{@code align}
     * ignores {@code KNOWN}: the named player is made it at any version" (the late read makes {@code a} it again).
     */
    @Test
    void aLateReadNamingTheTaggerWhileTheTaggedPlayerIsFrozenMakesNobodyItAgain() {
        Player a = west.join("a", 29.0, 5.0); // cell (1, 0), next to the east's (2, 0)
        store.serve(west);
        assertThat(ticksUntilSomeoneIsIt()).isLessThanOrEqualTo(3);
        assertThat(a.get(TagGame.IT)).isTrue();
        Player b = west.join("b", 30.5, 5.0); // within reach, once a may tag
        store.serve(west);
        west.join("c", 5.0, 25.0); // far away; its read is answered now ...
        List<ClusterStateReply> late = store.execute(west.drainClusterOps()); // ... but arrives late
        assertThat(late).singleElement().extracting(ClusterStateReply::value).isEqualTo(a.id());
        List<ClusterOp> tag = new ArrayList<>();
        for (int i = 0; i < 20 && tag.isEmpty(); i++) {
            west.step(); // a's safe ticks run out, and a tags b; the write waits
            tag.addAll(west.drainClusterOps().stream().filter(op -> op instanceof ClusterOp.CompareAndSet).toList());
            east.step();
            store.serve(east);
            check();
        }
        assertThat(tag).singleElement().extracting(op -> ((ClusterOp.CompareAndSet) op).value()).isEqualTo(b.id());
        assertThat(a.get(TagGame.IT)).isFalse();
        west.freezeForHandover(b.id(), new CellRef(2, 0));
        late.forEach(west::deliverClusterState);
        for (int i = 0; i < 3; i++) {
            tick(); // the late read is passed on: nobody it, a not again
        }
        assertThat(a.get(TagGame.IT)).isFalse();

        // The tag's write was lost; b arrives in the east, whose read finds the write missing and makes it.
        tag.forEach(op -> west.deliverClusterState(ClusterStateReply.failed(op, west.cluster().latest(op.key()))));
        OutboundTransfer t = fromWest.remove(0);
        StageResult staged = east.stage(west.stateOf(b.id()), t.from());
        Player arrived = east.arrive(((StageResult.Staged) staged).player(), t.state().epoch() + 1);
        assertThat(west.depart(b.id())).isTrue();
        store.serve(east);
        assertThat(ticksUntilSomeoneIsIt()).isLessThanOrEqualTo(TagGame.GRACE_TICKS);
        assertThat(arrived.get(TagGame.IT)).isTrue();
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo(b.id());
        for (int i = 0; i < 60; i++) {
            tick();
            assertThat(its()).isEqualTo(1);
        }
    }

    /**
     * Tag seeds 3, 62, 111, 182, 230 ("once a claim names a player that left before the claim was answered"): the
     * store names {@code p}, but {@code p} left before the answer came back, so no node ever had {@code p} "it" and
     * none would hand it on; the key named a player nobody has, for good. Now a player leaving with a claim open
     * releases it, and follows the release up when its own claim landed first.
     *
     * <p>Fails (nobody it after the grace) with the game as it was before this test, with the mutant
     * "{@code onLeave} releases only when the leaver is it", and with the mutant "a release's CONFLICT that names
     * the player who left is not written again".
     */
    @Test
    void aClaimAnsweredAfterItsPlayerLeftIsReleasedAndSomeoneElseIsIt() {
        Player p = west.join("p", 5.0, 5.0);
        store.serve(west); // p's read: nobody
        west.step(); // ... so p is claimed
        List<ClusterStateReply> claim = store.execute(west.drainClusterOps()); // the claim lands; its answer is slow
        assertThat(claim).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ClusterStateReply.Kind.SWAPPED);
            assertThat(r.value()).isEqualTo(p.id());
        });
        Player q = east.join("q", 50.0, 5.0);
        store.serve(east); // q's read names p: nothing to do in the east
        tick();
        assertThat(west.leave(p.id())).isTrue(); // before its claim's answer
        store.serve(west);
        claim.forEach(west::deliverClusterState);
        assertThat(ticksUntilSomeoneIsIt()).as("ticks until q is it").isLessThanOrEqualTo(TagGame.GRACE_TICKS);
        assertThat(q.get(TagGame.IT)).isTrue();
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo(q.id());
    }

    /**
     * A write whose answer never came is written again, as it was, never taken as refused or done: here the release
     * of the last player of a node, which has nobody left to remember it by.
     *
     * <p>Fails with the mutant "{@code retry} ignores a FAILED compare-and-set" (the key names the leaver for good).
     */
    @Test
    void aFailedReleaseIsWrittenAgain() {
        Player p = west.join("p", 5.0, 5.0);
        store.serve(west);
        assertThat(ticksUntilSomeoneIsIt()).isLessThanOrEqualTo(3);
        assertThat(p.get(TagGame.IT)).isTrue();
        assertThat(west.leave(p.id())).isTrue(); // the west's last player
        List<ClusterOp> release = west.drainClusterOps();
        assertThat(release).singleElement().isEqualTo(new ClusterOp.CompareAndSet(TagGame.IT_KEY, 1, "-" + p.id()));
        release.forEach(op -> west.deliverClusterState(ClusterStateReply.failed(op, west.cluster().latest(op.key()))));
        tick(); // the release is asked for again, and lands
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo("-" + p.id());
        Player q = east.join("q", 50.0, 5.0);
        store.serve(east);
        assertThat(ticksUntilSomeoneIsIt()).isLessThanOrEqualTo(3);
        assertThat(q.get(TagGame.IT)).isTrue();
    }

    /**
     * Tag crash seed 3771 ("2 players are it"): a node dies after "it" tagged someone, and its players come back from
     * the checkpoint before the tag, where the tagger is still "it", while the store names the player it tagged. A
     * restored player is "it" only once an answer names it again.
     *
     * <p>Fails with the mutant "{@code onRestore} keeps the checkpoint's {@code IT}" (two players it at the restore).
     */
    @Test
    void aPlayerRestoredAsItFromBeforeItsTagIsNotItAgain() {
        Player a = west.join("a", 5.0, 5.0);
        store.serve(west);
        assertThat(ticksUntilSomeoneIsIt()).isLessThanOrEqualTo(3);
        Player b = west.join("b", 6.5, 5.0);
        store.serve(west);
        PlayerState aThen = west.stateOf(a.id());
        PlayerState bThen = west.stateOf(b.id());
        for (int i = 0; i < 40 && !b.get(TagGame.IT); i++) {
            tick(); // a's safe ticks run out, and a tags b
        }
        assertThat(b.get(TagGame.IT)).isTrue();
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo(b.id());

        World westAgain = node(0, 3, new ArrayList<>()); // the west died; its players come back from the checkpoint
        Player aBack = restore(westAgain, aThen);
        Player bBack = restore(westAgain, bThen);
        assertThat(aBack.get(TagGame.IT)).as("not it before an answer names it").isFalse();
        for (int i = 0; i < 5; i++) {
            westAgain.step();
            store.serve(westAgain);
            east.step();
            store.serve(east);
            assertThat(Stream.of(westAgain, east).flatMap(w -> w.players().stream())
                    .filter(p -> p.get(TagGame.IT)).count()).isLessThanOrEqualTo(1);
        }
        assertThat(bBack.get(TagGame.IT)).as("the store names b").isTrue();
        assertThat(aBack.get(TagGame.IT)).isFalse();
    }

    /** A restored "it" that the store still names is "it" again at the first answer, counted once. */
    @Test
    void aPlayerRestoredAsItThatTheStoreStillNamesIsItAgain() {
        Player a = west.join("a", 5.0, 5.0);
        store.serve(west);
        assertThat(ticksUntilSomeoneIsIt()).isLessThanOrEqualTo(3);
        PlayerState aThen = west.stateOf(a.id());

        World westAgain = node(0, 3, new ArrayList<>());
        Player aBack = restore(westAgain, aThen);
        assertThat(aBack.get(TagGame.IT)).isFalse();
        store.serve(westAgain);
        westAgain.step();
        assertThat(aBack.get(TagGame.IT)).isTrue();
        assertThat(aBack.get(TagGame.TIMES_IT)).isEqualTo(1);
        assertThat(store.get(TagGame.IT_KEY).value()).isEqualTo(a.id());
    }

    private static Player restore(World w, PlayerState state) {
        PlayerState placed = w.placedInOwnedCells(state);
        StageResult staged = w.stage(placed, w.cellUnder(placed.x(), placed.z()));
        return w.restore(((StageResult.Staged) staged).player(), state.epoch() + 1);
    }
}
