package io.worldmesh.node.core;

import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.handover.PlayerStateCodec;
import io.worldmesh.protocol.handover.StateDecoded;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node core's lease (rule 12) and checkpoints (rule 6), against the real in-memory directory on the test's
 * clock: renewed every third of the TTL; a node that cannot renew stops simulating and accepts nothing before the
 * lease can have run out, and goes on once it holds it again; checkpoints write every player at its epoch each
 * interval, and the directory refuses a stale one.
 */
class LeaseAndCheckpointTest {

    private static final long TICK = 50_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final Duration TTL = Duration.ofSeconds(3);

    private long now = 10 * SECOND;
    private long tick;
    private final InMemoryDirectory directory = new InMemoryDirectory(() -> now / 1_000_000);
    private final WorldSettings settings = new WorldSettings(2, 1, 64.0, 20, 8.0, 2.0, 10, 6.0, 60, 1L);
    private final CellAssignment cells = CellAssignment.stripes(2, 1, List.of("n1", "n2"));
    private final World world = new World(settings, new OrbGame(),
            new WorldPlacement(Set.copyOf(cells.cellsOf("n1")), 0, 1));
    private final long incarnation = directory.registerNode("n1", "http://n1").toCompletableFuture().join()
            .incarnation();
    private final NodeCore core;
    /** Whether lease holds reach the directory; when not, each fails as a timeout would. */
    private boolean directoryUp = true;
    private final List<NodeEffect> seen = new ArrayList<>();

    LeaseAndCheckpointTest() {
        directory.holdLease("n1", incarnation, TTL);
        core = new NodeCore(new NodeCoreSettings("n1", HandoverSettings.DEFAULTS, TICK, SECOND,
                new LeaseTerms(incarnation, TTL, now)), world, cells, new HandoverTokens(new byte[16]), () -> true,
                new SplittableRandom(1), new WorldInfo("n1", "orbs", 20, 2, 1, settings.cellSizeM(),
                settings.maxSpeedMps(), Map.of()));
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
    }

    /** Handles {@code input}, runs every directory call it makes at once, and feeds the answers back. */
    private void handle(NodeInput input) {
        DirectoryAtHand.handle(core, input, now, c -> directoryUp ? DirectoryAtHand.answeredBy(directory).apply(c)
                : new NodeInput.DirectoryFailed(c.opId(), "directory timeout"), seen);
    }

    private void tickFor(long nanos) {
        long until = now + nanos;
        while (now < until) {
            now += TICK;
            handle(new NodeInput.Tick(++tick));
        }
    }

    private <T extends DirectoryOp> List<T> calls(Class<T> kind) {
        return seen.stream().filter(e -> e instanceof NodeEffect.CallDirectory c && kind.isInstance(c.op()))
                .map(e -> kind.cast(((NodeEffect.CallDirectory) e).op())).toList();
    }

    private String join() {
        handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        return world.players().getFirst().id();
    }

    @Test
    void theLeaseIsRenewedEveryThirdOfItsTtlAndTheNodeRunsOn() {
        tickFor(10 * SECOND);
        assertThat(calls(DirectoryOp.HoldLease.class)).hasSizeBetween(9, 11)
                .allSatisfy(h -> assertThat(h).isEqualTo(new DirectoryOp.HoldLease("n1", incarnation, TTL)));
        assertThat(core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(directory.leases().toCompletableFuture().join()).containsEntry("n1", incarnation);
        assertThat(core.counters().leasesLost()).isZero();
    }

    @Test
    void aNodeThatCannotRenewStopsBeforeItsLeaseRunsOutAndGoesOnWhenItHoldsItAgain() {
        String player = join();
        tickFor(SECOND);
        long lastHeldAt = now - now % SECOND; // holds go out on whole seconds here: 10 s, 11 s
        directoryUp = false;
        while (core.lifecycle() == NodeLifecycle.RUNNING) {
            tickFor(TICK);
        }
        assertThat(core.lifecycle()).isEqualTo(NodeLifecycle.FENCED);
        assertThat(now).as("fenced a tenth of the TTL before the last hold could run out")
                .isLessThanOrEqualTo(lastHeldAt + TTL.toNanos() - TTL.toNanos() / 10 + TICK);
        assertThat(directory.leases().toCompletableFuture().join()).as("still live in the directory")
                .containsKey("n1");

        long worldTick = world.tick();
        seen.clear();
        handle(new NodeInput.FromGateway("g1", new ToNode.Input(player, new ClientMessage.Input(1, new Vec2(1, 0), 0, null))));
        handle(new NodeInput.FromGateway("g1", new ToNode.Attach(8, "bo", null)));
        tickFor(2 * SECOND);
        assertThat(world.tick()).as("no simulation while fenced").isEqualTo(worldTick);
        assertThat(world.player(player).orElseThrow().lastAppliedSeq()).as("not applied while fenced").isZero();
        assertThat(core.counters().inputsWhileFenced()).isEqualTo(1);
        assertThat(seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(NodeEffect.ToGatewayFrame.class,
                f -> assertThat(f.frame()).isInstanceOf(ToGateway.Refused.class)));
        assertThat(calls(DirectoryOp.Checkpoint.class)).as("no checkpoint while fenced").isEmpty();
        assertThat(world.players()).hasSize(1);

        directoryUp = true;
        tickFor(SECOND);
        assertThat(core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(world.tick()).isGreaterThan(worldTick);
        assertThat(core.counters().leasesLost()).isEqualTo(1);
        assertThat(core.counters().leasesRegained()).isEqualTo(1);
        assertThat(world.player(player).orElseThrow().lastAppliedSeq()).as("the input kept while fenced, applied")
                .isEqualTo(1);
    }

    @Test
    void anotherIncarnationHoldingTheLeaseKeepsTheNodeFenced() {
        now += TTL.toNanos(); // this node's lease ran out while it hung...
        long next = directory.registerNode("n1", "http://n1-again").toCompletableFuture().join().incarnation();
        directory.holdLease("n1", next, Duration.ofMinutes(1)); // ...and a new start of n1 holds it
        tickFor(3 * SECOND);
        assertThat(core.lifecycle()).isEqualTo(NodeLifecycle.FENCED);
        assertThat(core.counters().leaseRefusals()).isPositive();
        assertThat(core.counters().leasesRegained()).isZero();
        assertThat(directory.leases().toCompletableFuture().join()).containsEntry("n1", next);
    }

    @Test
    void everyIntervalACheckpointWritesEachPlayerAtItsEpoch() {
        String player = join();
        tickFor(3 * SECOND + TICK);
        List<DirectoryOp.Checkpoint> checkpoints = calls(DirectoryOp.Checkpoint.class);
        assertThat(checkpoints).hasSizeBetween(3, 4);
        assertThat(checkpoints.getLast().cut().players()).singleElement().satisfies(w -> {
            assertThat(w.playerId()).isEqualTo(player);
            assertThat(w.epoch()).isEqualTo(1);
        });
        var session = directory.session(player).toCompletableFuture().join().orElseThrow();
        assertThat(session.epoch()).isEqualTo(1);
        assertThat(PlayerStateCodec.decode(session.state())).isInstanceOfSatisfying(StateDecoded.Ok.class,
                ok -> assertThat(ok.state().playerId()).isEqualTo(player));
        assertThat(session.state()).as("the state as of the last checkpoint, not the first")
                .isNotEqualTo(checkpoints.getFirst().cut().players().getFirst().state());
        assertThat(core.counters().sessionsCheckpointed()).isEqualTo(checkpoints.size());
        assertThat(core.counters().checkpointWritesFenced()).isZero();
    }

    @Test
    void aStaleCheckpointIsRefusedByTheDirectoryAndChangesNothing() {
        String player = join();
        tickFor(SECOND + TICK);
        // Another node took the player over meanwhile (a failover this node has not heard of).
        directory.commit(new HandoverCommit(player, "takeover", new OwnerRecord("n1", 1), "n2", new byte[]{9}));
        tickFor(SECOND);
        assertThat(core.counters().checkpointWritesFenced()).isEqualTo(1);
        var session = directory.session(player).toCompletableFuture().join().orElseThrow();
        assertThat(session.epoch()).isEqualTo(2);
        assertThat(session.state()).containsExactly(9);
    }

    @Test
    void anIncarnationWhosePlayersWereTakenOverStopsForGood() {
        String player = join();
        directoryUp = false;
        tickFor(TTL.toNanos() + SECOND); // hung past its lease
        long next = directory.registerNode("n2", "http://n2").toCompletableFuture().join().incarnation();
        directory.holdLease("n2", next, TTL);
        assertThat(directory.takeOver(player, new OwnerRecord("n1", 1), incarnation, "n2").toCompletableFuture()
                .join()).isInstanceOf(io.worldmesh.directory.TakeoverOutcome.TookOver.class);
        directoryUp = true;
        tickFor(2 * SECOND);
        assertThat(core.lifecycle()).isEqualTo(NodeLifecycle.STOPPED);
        long worldTick = world.tick();
        tickFor(SECOND);
        assertThat(world.tick()).isEqualTo(worldTick);
        assertThat(core.counters().leasesRegained()).isZero();
    }

    /**
     * The simulator found this: a node paused (SIGSTOP, a long GC) with a hold's answer waiting in its socket reads
     * that answer after its lease ran out and its players were taken over. A hold counts from when it was sent, so the
     * old answer must not let the node simulate again.
     */
    @Test
    void aHoldAnsweredOnlyAfterAPauseLongerThanTheLeaseLeavesTheNodeFenced() {
        String player = join();
        tickFor(SECOND);
        long holdOp = -1;
        while (holdOp < 0) { // the next hold goes out; the directory takes it, and then the node pauses
            now += TICK;
            for (NodeEffect e : core.handle(new NodeInput.Tick(++tick), now, now / 1_000_000)) {
                if (e instanceof NodeEffect.CallDirectory c && c.op() instanceof DirectoryOp.HoldLease h) {
                    holdOp = c.opId();
                }
            }
        }
        Object held = directory.holdLease("n1", incarnation, TTL).toCompletableFuture().join();
        now += 2 * TTL.toNanos();
        long next = directory.registerNode("n2", "http://n2").toCompletableFuture().join().incarnation();
        directory.holdLease("n2", next, TTL);
        assertThat(directory.takeOver(player, new OwnerRecord("n1", 1), incarnation, "n2").toCompletableFuture()
                .join()).isInstanceOf(io.worldmesh.directory.TakeoverOutcome.TookOver.class);

        core.handle(new NodeInput.DirectoryAnswered(holdOp, held), now, now / 1_000_000);
        assertThat(core.lifecycle()).as("the answer is older than the lease").isEqualTo(NodeLifecycle.FENCED);
        assertThat(core.counters().leasesRegained()).isZero();
        tickFor(SECOND); // its next hold is refused: taken over
        assertThat(core.lifecycle()).isEqualTo(NodeLifecycle.STOPPED);
    }
}
