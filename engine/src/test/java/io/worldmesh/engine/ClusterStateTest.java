package io.worldmesh.engine;

import io.worldmesh.api.ClusterOp;
import io.worldmesh.api.ClusterState;
import io.worldmesh.api.ClusterStateReply;
import io.worldmesh.api.VersionedValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterStateTest {

    private final RecordingGame game = new RecordingGame();
    private final World w = Worlds.node(WorldSettings.DEFAULTS, game, Worlds.westHalf(WorldSettings.DEFAULTS), 1);
    private final LocalClusterState store = new LocalClusterState();

    @Test
    void operationsAreDrainedInOrderAndAnsweredOnTheNextTick() {
        game.duringTick = ctx -> {
            if (ctx.tick() == 1) {
                ctx.cluster().read("k");
                ctx.cluster().compareAndSet("k", 0, "a");
                ctx.cluster().compareAndSet("k", 0, "b");
            }
        };
        w.step();
        List<ClusterOp> ops = w.drainClusterOps();
        assertThat(ops).containsExactly(new ClusterOp.Read("k"), new ClusterOp.CompareAndSet("k", 0, "a"),
                new ClusterOp.CompareAndSet("k", 0, "b"));
        assertThat(w.drainClusterOps()).isEmpty();
        store.execute(ops).forEach(w::deliverClusterState);
        assertThat(game.replies).isEmpty(); // delivered, but the game hears of it only in the next tick
        w.step();
        assertThat(game.replies).containsExactly(
                ClusterStateReply.read(read("k"), VersionedValue.NONE),
                ClusterStateReply.swapped(cas("k", 0, "a"), new VersionedValue("a", 1)),
                ClusterStateReply.conflict(cas("k", 0, "b"), new VersionedValue("a", 1)));
        assertThat(game.replyTicks).containsOnly(2L);
        assertThat(w.cluster().latest("k")).isEqualTo(new VersionedValue("a", 1));
        assertThat(w.cluster().latest("other")).isEqualTo(VersionedValue.NONE);
    }

    @Test
    void aReplyOlderThanOneAlreadyPassedOnIsDropped() {
        w.deliverClusterState(ClusterStateReply.swapped(cas("k", 4, "new"), new VersionedValue("new", 5)));
        w.deliverClusterState(ClusterStateReply.read(read("k"), new VersionedValue("old", 4))); // a late read
        w.deliverClusterState(ClusterStateReply.read(read("k"), new VersionedValue("new", 5))); // the same version
        w.deliverClusterState(ClusterStateReply.read(read("j"), new VersionedValue("x", 1))); // another key
        w.step();
        assertThat(game.replies).extracting(ClusterStateReply::value).containsExactly("new", "new", "x");
        w.deliverClusterState(ClusterStateReply.conflict(cas("k", 1, "mine"), new VersionedValue("older", 2)));
        w.step();
        assertThat(game.replies).hasSize(3);
        assertThat(w.cluster().latest("k")).isEqualTo(new VersionedValue("new", 5));
        assertThat(w.stats().staleClusterReplies()).isEqualTo(2);
    }

    @Test
    void theQueueOfOperationsIsBounded() {
        game.duringTick = ctx -> {
            for (int i = 0; i < ClusterState.MAX_PENDING_OPS; i++) {
                ctx.cluster().read("k" + i);
            }
            ctx.cluster().read("one too many");
        };
        assertThatThrownBy(w::step).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(String.valueOf(ClusterState.MAX_PENDING_OPS));
        assertThat(w.drainClusterOps()).hasSize(ClusterState.MAX_PENDING_OPS);
        game.duringTick = ctx -> ctx.cluster().read("again");
        w.step(); // drained: room again
        assertThat(w.drainClusterOps()).containsExactly(new ClusterOp.Read("again"));
    }

    @Test
    void aSingleProcessWorldServesItsOwnClusterStateOnTheNextTick() {
        RecordingGame own = new RecordingGame();
        World single = new World(WorldSettings.DEFAULTS, own);
        own.duringTick = ctx -> {
            if (ctx.tick() == 1) {
                ctx.cluster().compareAndSet("k", 0, "mine");
            }
        };
        single.step();
        assertThat(own.replies).isEmpty();
        single.step();
        assertThat(own.replies).containsExactly(ClusterStateReply.swapped(cas("k", 0, "mine"),
                new VersionedValue("mine", 1)));
        assertThat(own.replyTicks).containsExactly(2L);
        assertThatThrownBy(single::drainClusterOps).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLocalStoreIsACompareAndSetRegisterPerKey() {
        assertThat(store.execute(new ClusterOp.CompareAndSet("k", 1, "x")).kind())
                .isEqualTo(ClusterStateReply.Kind.CONFLICT);
        assertThat(store.execute(new ClusterOp.CompareAndSet("k", 0, "x")))
                .isEqualTo(ClusterStateReply.swapped(cas("k", 0, "x"), new VersionedValue("x", 1)));
        assertThat(store.execute(new ClusterOp.CompareAndSet("k", 1, "")))
                .isEqualTo(ClusterStateReply.swapped(cas("k", 1, ""), new VersionedValue("", 2)));
        assertThat(store.execute(new ClusterOp.Read("k"))).isEqualTo(ClusterStateReply.read(read("k"),
                new VersionedValue("", 2)));
        assertThat(store.get("absent")).isEqualTo(VersionedValue.NONE);
    }

    @Test
    void aFailedOperationIsPassedOnNamingItWithWhatWasKnownAndIsNeverDropped() {
        w.deliverClusterState(ClusterStateReply.swapped(cas("k", 2, "new"), new VersionedValue("new", 3)));
        w.deliverClusterState(ClusterStateReply.failed(cas("k", 1, "mine"), VersionedValue.NONE));
        w.step();
        assertThat(game.replies).containsExactly(
                ClusterStateReply.swapped(cas("k", 2, "new"), new VersionedValue("new", 3)),
                ClusterStateReply.failed(cas("k", 1, "mine"), new VersionedValue("new", 3)));
        assertThat(w.cluster().latest("k")).isEqualTo(new VersionedValue("new", 3));
        assertThat(w.stats().staleClusterReplies()).isZero();
        assertThatThrownBy(() -> new ClusterStateReply("other", "", 0, false, ClusterStateReply.Kind.READ, read("k")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterStateReply("k", "", 0, false, ClusterStateReply.Kind.CONFLICT, read("k")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ClusterOp.Read read(String key) {
        return new ClusterOp.Read(key);
    }

    private static ClusterOp.CompareAndSet cas(String key, long expected, String value) {
        return new ClusterOp.CompareAndSet(key, expected, value);
    }
}
