package io.worldmesh.node.core;

import io.worldmesh.api.CellRef;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.directory.LeaseOutcome;
import io.worldmesh.directory.NodeCut;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.Vec2;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.PeerReply;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules 11 and 12 after a node crashed. Started again under the same id, the new incarnation takes back, by
 * the failover compare-and-set, every player the directory still names the old one owner of, puts each back from
 * its last checkpoint at epoch + 1, disconnected, and finds its client by sending ROUTE to every gateway; the one
 * that holds the client names its connection, and the client is told {@code recovered}. The old incarnation can
 * write nothing more and never simulates again. Not started again, the live node with the lowest id takes its cells
 * (the assignment's compare-and-set) and its players the same way, once its lease has been gone for a while.
 */
class CrashRecoveryTest {

    private static final long TICK = 50_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final Duration TTL = Duration.ofSeconds(2);

    private long now = 10 * SECOND;
    private long tick;
    private final InMemoryDirectory directory = new InMemoryDirectory(() -> now / 1_000_000);
    private final WorldSettings settings = new WorldSettings(2, 1, 64.0, 20, 8.0, 2.0, 10, 6.0, 600, 1L);
    private final CellAssignment cells = directory.proposeAssignment(CellAssignment.stripes(2, 1, List.of("n1", "n2")))
            .toCompletableFuture().join();

    /** One start of a node: its own world and core, fed at the test's clock, its directory calls made at once. */
    private final class Start {
        final String id;
        final long incarnation;
        final World world;
        final NodeCore core;
        final List<NodeEffect> seen = new ArrayList<>();
        boolean alive = true;
        /** Directory calls whose answer is lost (the node is told the call failed). */
        java.util.function.Predicate<DirectoryOp> lose = op -> false;
        /** Directory calls that take effect, but whose answer is lost. */
        java.util.function.Predicate<DirectoryOp> loseAnswer = op -> false;
        /** Directory calls that take effect, with their answers kept in {@link #delayed} for the test to deliver. */
        java.util.function.Predicate<DirectoryOp> delayAnswer = op -> false;
        final List<NodeInput> delayed = new ArrayList<>();

        Start() {
            this("n1");
        }

        Start(String id) {
            this(id, Set.copyOf(cells.cellsOf(id)));
        }

        /** A start with the cells the directory's assignment gives it now (none, if they moved while it was down). */
        Start(String id, Set<CellRef> owned) {
            this.id = id;
            incarnation = directory.registerNode(id, "http://" + id).toCompletableFuture().join().incarnation();
            world = new World(settings, new OrbGame(), new WorldPlacement(owned, tick, incarnation));
            assertThat(directory.holdLease(id, incarnation, TTL).toCompletableFuture().join())
                    .isInstanceOf(LeaseOutcome.Held.class);
            core = new NodeCore(new NodeCoreSettings(id, HandoverSettings.DEFAULTS, TICK, SECOND,
                    new LeaseTerms(incarnation, TTL, now)), world, cells, new HandoverTokens(new byte[16]), () -> true,
                    new SplittableRandom(incarnation), new WorldInfo(id, "orbs", 20, 2, 1, settings.cellSizeM(),
                    settings.maxSpeedMps(), Map.of()));
            core.moveTo(NodeLifecycle.RECONCILING);
        }

        void handle(NodeInput input) {
            var answer = DirectoryAtHand.answeredBy(directory);
            DirectoryAtHand.handle(core, input, now, c -> {
                if (lose.test(c.op())) {
                    return new NodeInput.DirectoryFailed(c.opId(), "lost");
                }
                NodeInput answered = answer.apply(c);
                if (delayAnswer.test(c.op())) {
                    delayed.add(answered);
                    return null;
                }
                return loseAnswer.test(c.op()) ? new NodeInput.DirectoryFailed(c.opId(), "answer lost") : answered;
            }, seen);
        }

        List<ToGateway> framesTo(String gateway) {
            return seen.stream().filter(e -> e instanceof NodeEffect.ToGatewayFrame f && f.gatewayId().equals(gateway))
                    .map(e -> ((NodeEffect.ToGatewayFrame) e).frame()).toList();
        }
    }

    private void tickFor(long nanos, Start... starts) {
        long until = now + nanos;
        while (now < until) {
            now += TICK;
            tick++;
            for (Start s : starts) {
                if (s.alive) {
                    s.handle(new NodeInput.Tick(tick));
                }
            }
        }
    }

    private static NodeCut lastCut(Start s) {
        return s.seen.stream().filter(e -> e instanceof NodeEffect.CallDirectory c
                        && c.op() instanceof DirectoryOp.Checkpoint).map(e -> ((DirectoryOp.Checkpoint)
                        ((NodeEffect.CallDirectory) e).op()).cut()).reduce((a, b) -> b).orElseThrow();
    }

    private static ToNode.Input input(String player, long seq) {
        return new ToNode.Input(player, new ClientMessage.Input(seq, new Vec2(1, 0), 0, null));
    }

    @Test
    void aRestartedNodeTakesItsPlayersBackFromTheirCheckpointAndTheirClientsAreToldHowFarTheyWereSetBack() {
        Start first = new Start();
        first.core.moveTo(NodeLifecycle.RUNNING);
        first.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = first.world.players().getFirst().id();
        first.handle(new NodeInput.FromGateway("g1", input(ana, 1)));
        first.handle(new NodeInput.FromGateway("g1", input(ana, 2)));
        tickFor(SECOND + TICK, first); // a checkpoint after inputs 1 and 2
        first.handle(new NodeInput.FromGateway("g1", input(ana, 3)));
        tickFor(TICK, first);
        assertThat(first.world.player(ana).orElseThrow().lastAppliedSeq()).isEqualTo(3);
        long checkpointedAt = first.world.tick();
        CellRef cell = cells.cellsOf("n1").getFirst();
        byte[] cutGround = lastCut(first).ground().get(NodeCut.cellKey(cell.cx(), cell.cz()));

        first.alive = false; // kill -9: no last checkpoint, no release; the lease runs out by itself
        now += TTL.toNanos();
        tick += TTL.toNanos() / TICK;
        assertThat(directory.leases().toCompletableFuture().join()).doesNotContainKey("n1");

        Start second = new Start();
        second.handle(new NodeInput.Reconcile(second.incarnation - 1));
        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n1", 2));
        assertThat(second.core.epoch(ana)).contains(2L);
        assertThat(second.world.player(ana).orElseThrow().lastAppliedSeq()).as("as of the checkpoint")
                .isEqualTo(2);
        assertThat(second.core.counters().playersRestored()).isEqualTo(1);
        assertThat(second.world.groundOf(cell)).as("its ground as the old incarnation last cut it").isEqualTo(cutGround);

        second.handle(new NodeInput.GatewayLinked("g2"));
        second.handle(new NodeInput.GatewayLinked("g1"));
        assertThat(second.framesTo("g1")).contains(new ToGateway.Route(ana, 2, 2));
        second.handle(new NodeInput.FromGateway("g2", new ToNode.RouteAck(ana, 2)));
        assertThat(second.framesTo("g2")).as("g2 has no client of ana's").noneMatch(
                f -> f instanceof ToGateway.ToClient);
        second.seen.clear();
        tickFor(2 * SECOND, second);
        assertThat(second.framesTo("g1")).as("the ROUTE goes again until a gateway names the client")
                .contains(new ToGateway.Route(ana, 2, 2));

        second.seen.clear();
        second.handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck(ana, 2, 7)));
        String recovered = second.framesTo("g1").stream().filter(f -> f instanceof ToGateway.ToClient)
                .map(f -> new String(((ToGateway.ToClient) f).json(), StandardCharsets.UTF_8))
                .filter(json -> json.contains("\"recovered\"")).findFirst().orElseThrow();
        assertThat(recovered).contains("\"from_tick\":" + (checkpointedAt - 1)).contains("\"last_applied_seq\":2")
                .contains("\"node\":\"n1\"");
        assertThat(second.core.counters().playersRecovered()).isEqualTo(1);
        second.handle(new NodeInput.FromGateway("g1", input(ana, 4)));
        tickFor(TICK, second);
        assertThat(second.world.player(ana).orElseThrow().lastAppliedSeq()).as("inputs go on after the ack")
                .isEqualTo(4);
        assertThat(second.framesTo("g1")).anyMatch(f -> f instanceof ToGateway.ToClient c && c.droppable());

        // The old incarnation, had it only hung, can neither hold its lease nor write a checkpoint again.
        first.alive = true;
        tickFor(SECOND, first, second);
        assertThat(first.core.lifecycle()).isEqualTo(NodeLifecycle.STOPPED);
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n1", 2));
    }

    /**
     * A player frozen for a handover stands past the border, in the target's cell, and is checkpointed there. Its
     * source, started again before the handover committed, owns it again but not that cell: it is put back at the
     * border, not refused (a refused restore left the player owned by a node that held nothing: lost).
     */
    @Test
    void aPlayerCheckpointedWhileFrozenPastTheBorderComesBackInsideTheRestartedNodesCells() throws Exception {
        Start first = new Start();
        first.core.moveTo(NodeLifecycle.RUNNING);
        first.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = first.world.players().getFirst().id();
        var started = new java.util.concurrent.CompletableFuture<BenchHandoverStart>();
        first.handle(new NodeInput.BenchHandover(ana, started));
        assertThat(started.get()).isInstanceOf(BenchHandoverStart.Started.class); // PREPARE to n2, never answered
        var frozen = first.world.player(ana).orElseThrow();
        assertThat(first.world.owns(first.world.cellUnder(frozen.x(), frozen.z()))).as("frozen past the border")
                .isFalse();
        tickFor(SECOND + TICK, first); // a checkpoint of the frozen player

        first.alive = false; // kill -9 before the handover ends
        now += TTL.toNanos();
        tick += TTL.toNanos() / TICK;
        Start second = new Start();
        second.handle(new NodeInput.Reconcile(second.incarnation - 1));

        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(second.core.counters().restoresRefused()).isZero();
        var back = second.world.player(ana).orElseThrow();
        assertThat(second.world.owns(second.world.cellUnder(back.x(), back.z()))).isTrue();
        assertThat(back.x()).as("at the border it was frozen past").isCloseTo(frozen.x(),
                org.assertj.core.data.Offset.offset(settings.hysteresisM() + 1.0));
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n1", 2));
    }

    @Test
    void aPlayerHandedOnBeforeTheCrashIsNotTakenBack() {
        Start first = new Start();
        first.core.moveTo(NodeLifecycle.RUNNING);
        first.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = first.world.players().getFirst().id();
        directory.commit(new io.worldmesh.directory.HandoverCommit(ana, "t", new OwnerRecord("n1", 1), "n2",
                new byte[]{1})); // committed to n2; n1 died before it heard
        now += TTL.toNanos();

        Start second = new Start();
        second.handle(new NodeInput.Reconcile(second.incarnation - 1));
        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(second.world.players()).isEmpty();
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n2", 2));
    }

    @Test
    void aNodeThatDiesForGoodHasItsCellsAndPlayersTakenByTheLiveNodeWithTheLowestId() {
        Start n1 = new Start("n1");
        Start n2 = new Start("n2");
        n1.core.moveTo(NodeLifecycle.RUNNING);
        n2.core.moveTo(NodeLifecycle.RUNNING);
        n1.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = n1.world.players().getFirst().id();
        n1.handle(new NodeInput.FromGateway("g1", input(ana, 1)));
        n2.handle(new NodeInput.GatewayLinked("g1"));
        tickFor(3 * SECOND, n1, n2); // checkpoints; n2 sees n1's lease live
        CellRef n1Cell = cells.cellsOf("n1").getFirst();
        byte[] n1Ground = lastCut(n1).ground().get(NodeCut.cellKey(n1Cell.cx(), n1Cell.cz()));

        n1.alive = false; // kill -9
        tickFor(TTL.toNanos() / 2, n2); // its last hold, at most a third of the TTL ago, still runs
        assertThat(n2.world.ownedCells()).as("not before the lease has run out").hasSize(1);
        tickFor(TTL.toNanos() * 3 / 2, n2);
        assertThat(n2.world.ownedCells()).as("n1's cell adopted").hasSize(2);
        assertThat(directory.assignment().toCompletableFuture().join().orElseThrow().cellsOf("n2")).hasSize(2);
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n2", 2));
        assertThat(n2.world.player(ana).orElseThrow().lastAppliedSeq()).isEqualTo(1);
        assertThat(n2.framesTo("g1")).contains(new ToGateway.Route(ana, 2, 1));
        assertThat(n2.core.counters().nodesTakenOver()).isEqualTo(1);
        assertThat(n2.core.counters().cellsRestored()).isEqualTo(1);
        assertThat(n2.world.groundOf(n1Cell)).as("n1's cell holds the orbs of n1's last cut, not a fresh start's")
                .isEqualTo(n1Ground);

        n2.seen.clear();
        n2.handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck(ana, 2, 7)));
        assertThat(n2.framesTo("g1")).anyMatch(f -> f instanceof ToGateway.ToClient c
                && new String(c.json(), StandardCharsets.UTF_8).contains("\"recovered\""));
        tickFor(2 * SECOND, n2);
        assertThat(n2.core.counters().nodesTakenOver()).as("once").isEqualTo(1);

        // n1, had it only hung, is fenced for good and can take nothing back.
        n1.alive = true;
        tickFor(SECOND, n1, n2);
        assertThat(n1.core.lifecycle()).isEqualTo(NodeLifecycle.STOPPED);
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n2", 2));
    }

    /**
     * A restored player whose resume window runs out before any gateway names its client leaves; a gateway whose ACK
     * comes after that, naming a connection, is told the player is gone (so that its client joins anew, instead of
     * waiting on a route to nobody). An ACK without a connection, or a second one, gets nothing.
     */
    @Test
    void aGatewayThatNamesARestoredPlayersClientOnlyAfterItsWindowRanOutIsToldThePlayerIsGone() {
        String ana = crashWithOnePlayer();
        Start second = new Start();
        second.handle(new NodeInput.Reconcile(second.incarnation - 1));
        second.handle(new NodeInput.GatewayLinked("g1"));
        assertThat(second.world.player(ana)).isPresent();

        tickFor((settings.resumeWindowTicks() + 2) * TICK, second);
        assertThat(second.world.player(ana)).as("left: nobody named its client").isEmpty();
        second.seen.clear();
        second.handle(new NodeInput.GatewayLinked("g2"));
        assertThat(second.framesTo("g2")).as("a gateway that links only now, whatever connection it has")
                .singleElement().isInstanceOfSatisfying(ToGateway.Gone.class, g -> assertThat(List.of(g.playerId(),
                        g.epoch(), g.connectionId())).isEqualTo(List.of(ana, 2L, ToNode.RouteAck.NO_CONNECTION)));
        second.seen.clear();
        second.handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck(ana, 2)));
        assertThat(second.framesTo("g1")).as("no connection named: nothing to say").isEmpty();
        second.handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck(ana, 2, 7)));
        assertThat(second.framesTo("g1")).singleElement().isInstanceOfSatisfying(ToGateway.Gone.class, g -> {
            assertThat(List.of(g.playerId(), g.epoch(), g.connectionId())).isEqualTo(List.of(ana, 2L, 7L));
            assertThat(g.reason()).contains("resume window");
        });
        second.seen.clear();
        second.handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck(ana, 2, 7)));
        assertThat(second.framesTo("g1")).as("told once").isEmpty();

    }

    /**
     * The target reserved a player, and died with the staged copy; it started again, and then the source committed.
     * The commit made the handed-over state durable in the directory, so the COMMIT that reaches the new incarnation
     * restores the player from there and is confirmed (before, it was refused for good: the player owned by a node
     * that did not hold it). A COMMIT for a player the directory does not name this node's is refused as before.
     */
    @Test
    void aCommitForAReservationLostWithTheTargetsEarlierIncarnationRestoresThePlayerFromTheCommit() {
        Start n1 = new Start("n1");
        n1.core.moveTo(NodeLifecycle.RUNNING);
        n1.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = n1.world.players().getFirst().id();
        byte[] handedOver = io.worldmesh.protocol.handover.PlayerStateCodec.encode(n1.world.stateOf(ana).atEpoch(2));
        directory.commit(new io.worldmesh.directory.HandoverCommit(ana, "tok", new OwnerRecord("n1", 1), "n2",
                handedOver)).toCompletableFuture().join();

        Start n2 = new Start("n2"); // a start after the one that reserved the player
        n2.core.moveTo(NodeLifecycle.RUNNING);
        n2.handle(new NodeInput.GatewayLinked("g1"));
        n2.handle(new NodeInput.FromPeer(5, new io.worldmesh.protocol.handover.PeerRequest.Commit(ana, "tok", 2)));
        assertThat(n2.seen).contains(new NodeEffect.ReplyPeer(5,
                new io.worldmesh.protocol.handover.PeerReply.Confirmed("tok", 2)));
        assertThat(n2.world.player(ana)).isPresent();
        assertThat(n2.core.epoch(ana)).contains(2L);
        assertThat(n2.framesTo("g1")).anyMatch(f -> f instanceof ToGateway.Route r && r.playerId().equals(ana)
                && r.epoch() == 2);
        assertThat(n2.core.counters().lostReservationsRestored()).isEqualTo(1);

        n2.seen.clear();
        n2.handle(new NodeInput.FromPeer(6, new io.worldmesh.protocol.handover.PeerRequest.Commit("p9", "tok2", 2)));
        assertThat(n2.seen).filteredOn(e -> e instanceof NodeEffect.ReplyPeer).singleElement()
                .isInstanceOfSatisfying(NodeEffect.ReplyPeer.class,
                r -> assertThat(r.reply()).isNotInstanceOf(io.worldmesh.protocol.handover.PeerReply.Confirmed.class));
    }

    /**
     * A create answered only after the node paused past its lease: another node may own the player by now, so the
     * client is refused (it joins anew) rather than told the player is here, and the player waits out its window.
     */
    @Test
    void aCreateAnsweredAfterALeaseLapseIsRefusedToTheClient() {
        Start n1 = new Start();
        n1.core.moveTo(NodeLifecycle.RUNNING);
        NodeEffect.CallDirectory create = n1.core.handle(new NodeInput.FromGateway("g1",
                        new ToNode.Attach(7, "ana", null)), now, now / 1_000_000).stream()
                .filter(e -> e instanceof NodeEffect.CallDirectory c && c.op() instanceof DirectoryOp.CreatePlayer)
                .map(e -> (NodeEffect.CallDirectory) e).findFirst().orElseThrow(); // its answer waits
        String ana = ((DirectoryOp.CreatePlayer) create.op()).playerId();
        assertThat(n1.world.players()).as("in the game only once the directory holds its record").isEmpty();
        n1.lose = op -> op instanceof DirectoryOp.HoldLease;
        tickFor(TTL.toNanos(), n1);
        assertThat(n1.core.lifecycle()).isEqualTo(NodeLifecycle.FENCED);

        n1.seen.clear();
        n1.handle(new NodeInput.DirectoryAnswered(create.opId(), create.op().run(directory).toCompletableFuture()
                .join()));
        assertThat(n1.framesTo("g1")).singleElement().isInstanceOf(ToGateway.Refused.class);
        assertThat(n1.world.player(ana)).as("not in the game here: another node may have it").isEmpty();

        n1.lose = op -> false; // held again, nobody took it over: its record goes with the next cut
        tickFor(2 * SECOND, n1);
        assertThat(n1.core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(directory.owner(ana).toCompletableFuture().join()).isEmpty();
    }

    /**
     * A player handed over while its gateway restarted arrives disconnected (its old connection died with the
     * gateway), but its client resumed meanwhile: the gateway's ACK names the new connection, and the player is
     * served there rather than left to its window under a connected client.
     */
    @Test
    void anAckNamingAConnectionConnectsAPlayerThatArrivedDisconnected() {
        Start first = new Start();
        first.core.moveTo(NodeLifecycle.RUNNING);
        first.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = first.world.players().getFirst().id();
        first.handle(new NodeInput.FromGateway("g1", new ToNode.Detach(ana, 7)));
        assertThat(first.world.player(ana).orElseThrow().connected()).isFalse();

        first.handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck(ana, 1, 9)));
        assertThat(first.world.player(ana).orElseThrow().connected()).isTrue();
        first.handle(new NodeInput.FromGateway("g1", new ToNode.RouteAck(ana, 0, 11)));
        first.seen.clear();
        tickFor(TICK, first);
        assertThat(first.seen).anyMatch(e -> e instanceof NodeEffect.ToGatewayFrame f
                && f.frame() instanceof ToGateway.ToClient c && c.playerId().equals(ana));
    }

    /**
     * A node whose lease lapses while it reconciles stops simulating the players it has restored so far, as a running
     * node would; holding the lease again, it goes on reconciling, and only then runs.
     */
    @Test
    void aNodeWhoseLeaseLapsesWhileItReconcilesIsFencedAndReconcilesOnOnceItHoldsItAgain() {
        String ana = crashWithOnePlayer();

        Start second = new Start();
        second.lose = op -> op instanceof DirectoryOp.TakeOver || op instanceof DirectoryOp.HoldLease;
        second.handle(new NodeInput.Reconcile(second.incarnation - 1));
        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.RECONCILING);
        tickFor(TTL.toNanos(), second);
        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.FENCED);
        long worldTick = second.world.tick();
        tickFor(SECOND, second);
        assertThat(second.world.tick()).as("no simulation while fenced").isEqualTo(worldTick);

        second.lose = op -> false;
        tickFor(2 * SECOND, second);
        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(second.world.player(ana)).as("its reconcile went on").isPresent();
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n1", 2));
    }

    /**
     * A takeover's "restore it here" that reaches its node only after a pause longer than its lease (a hang) restores
     * nothing while the node is fenced: the player may have been taken from it meanwhile, and have moved on or left
     * the game (tag seed 2048: back in the world after it had left). Held again, with nobody having taken the
     * incarnation over, the node restores it then: nothing is lost.
     */
    @Test
    void aTakeoverAnsweredAfterAPauseLongerThanTheLeaseRestoresOnlyOnceTheLeaseIsHeldAgain() {
        String ana = crashWithOnePlayer();
        Start second = restartedWithItsTakeoverAnswerWaiting();
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n1", 2));

        hang(); // long enough for the lease to run out
        second.delayAnswer = op -> false;
        second.lose = op -> op instanceof DirectoryOp.HoldLease; // the node's first hold after its pause
        second.handle(second.delayed.removeFirst());
        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.FENCED);
        assertThat(second.world.player(ana)).as("not restored while fenced").isEmpty();

        second.lose = op -> false;
        tickFor(SECOND, second); // the lease is held again: no node took this incarnation's players meanwhile
        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(second.world.player(ana)).as("restored once held again").isPresent();
    }

    /** As above, but another node took the player over during the pause: the late answer never puts it back. */
    @Test
    void aTakeoverAnsweredAfterThePlayerWasTakenFromTheNodeMeanwhileRestoresNothing() {
        String ana = crashWithOnePlayer();
        Start second = restartedWithItsTakeoverAnswerWaiting();
        hang(); // long enough for n2 to take the player from incarnation 2
        assertThat(new DirectoryOp.TakeOver(ana, new OwnerRecord("n1", 2), second.incarnation, "n2").run(directory)
                .toCompletableFuture().join().toString()).startsWith("TookOver");
        second.delayAnswer = op -> false;
        second.handle(second.delayed.removeFirst());
        tickFor(SECOND, second);
        assertThat(second.core.lifecycle()).isEqualTo(NodeLifecycle.STOPPED);
        assertThat(second.world.player(ana)).isEmpty();
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n2", 3));
    }

    /** n1 started again after {@link #crashWithOnePlayer}: its takeover of the player took effect; the answer waits. */
    private Start restartedWithItsTakeoverAnswerWaiting() {
        Start second = new Start();
        second.delayAnswer = op -> op instanceof DirectoryOp.TakeOver;
        second.handle(new NodeInput.Reconcile(second.incarnation - 1));
        assertThat(second.delayed).as("the takeover's answer").hasSize(1);
        return second;
    }

    /** A pause of the node under test (no ticks) longer than its lease. */
    private void hang() {
        now += TTL.toNanos() + SECOND;
        tick += (TTL.toNanos() + SECOND) / TICK;
    }

    /** n1 with one player, checkpointed, then killed; returns the player once n1's lease has run out. */
    private String crashWithOnePlayer() {
        Start first = new Start();
        first.core.moveTo(NodeLifecycle.RUNNING);
        first.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = first.world.players().getFirst().id();
        tickFor(SECOND + TICK, first);
        first.alive = false;
        now += TTL.toNanos();
        tick += TTL.toNanos() / TICK;
        return ana;
    }

    /**
     * The taker moved a dead node's cells and took its ground, but the answer to which players were the dead node's
     * was lost; meanwhile the dead node started again, without cells. The taker asks again (it does not wait for a
     * reading of the leases that would find the node alive), and takes the player: before, nobody ever did.
     */
    @Test
    void aTakeoverStepWhoseAnswerWasLostIsMadeAgainThoughTheDeadNodeHasStartedAgain() {
        Start n1 = new Start("n1");
        Start n2 = new Start("n2");
        n1.core.moveTo(NodeLifecycle.RUNNING);
        n2.core.moveTo(NodeLifecycle.RUNNING);
        n1.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = n1.world.players().getFirst().id();
        tickFor(3 * SECOND, n1, n2);

        n1.alive = false; // kill -9
        n2.lose = op -> op instanceof DirectoryOp.PlayersOf;
        while (n2.world.ownedCells().size() < 2) {
            tickFor(TICK, n2);
        }
        assertThat(directory.owner(ana).toCompletableFuture().join()).as("not taken yet")
                .contains(new OwnerRecord("n1", 1));
        n2.lose = op -> false;

        Start restarted = new Start("n1", Set.of()); // its cells are n2's now
        restarted.handle(new NodeInput.Reconcile(restarted.incarnation - 1));
        assertThat(restarted.core.lifecycle()).isEqualTo(NodeLifecycle.RUNNING);
        assertThat(restarted.world.players()).as("it cannot hold the player without cells").isEmpty();
        tickFor(2 * SECOND, n2, restarted);

        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n2", 2));
        assertThat(n2.world.player(ana)).isPresent();
        assertThat(n2.core.recovering()).isFalse();
    }

    /**
     * A node started again without cells leaves its earlier incarnation's players to the node that took its cells.
     * Should that node die before it takes them, and its cells come back here by its own failover, this node takes
     * them itself.
     */
    @Test
    void aRestartWithoutCellsTakesItsEarlierPlayersOnceItHasCellsAgain() {
        Start n1 = new Start("n1");
        Start n2 = new Start("n2");
        n1.core.moveTo(NodeLifecycle.RUNNING);
        n2.core.moveTo(NodeLifecycle.RUNNING);
        n1.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = n1.world.players().getFirst().id();
        tickFor(3 * SECOND, n1, n2);

        n1.alive = false;
        n2.lose = op -> op instanceof DirectoryOp.PlayersOf; // it never learns whose players to take
        while (n2.world.ownedCells().size() < 2) {
            tickFor(TICK, n2);
        }
        Start restarted = new Start("n1", Set.of());
        restarted.handle(new NodeInput.Reconcile(restarted.incarnation - 1));
        tickFor(3 * SECOND, n2, restarted);
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n1", 1));

        n2.alive = false; // dies with both cells, and the player still n1's
        tickFor(4 * SECOND, restarted);
        assertThat(restarted.world.ownedCells()).as("n2's cells, by failover").hasSize(2);
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n1", 2));
        assertThat(restarted.world.player(ana)).isPresent();
        assertThat(restarted.core.recovering()).isFalse();
    }

    @Test
    void aNodeNeverSeenAliveIsNotTakenOverAndNeitherIsAnyoneWhileTheDirectoryWasJustBack() {
        Start n2 = new Start("n2"); // n1 has not started yet
        n2.core.moveTo(NodeLifecycle.RUNNING);
        tickFor(3 * TTL.toNanos(), n2);
        assertThat(n2.world.ownedCells()).hasSize(1);
        assertThat(n2.core.counters().nodesTakenOver()).isZero();
    }

    /**
     * A node that is the source of a handover to a node that dies after the commit takes the player back by
     * failover, and drops its frozen copy as it restores the player. When the takeover's answer is lost and the step
     * is made again, the directory answers NotOwner naming this node at e + 1; the player is restored from its
     * record then, frozen copy or not (before: skipped, and the player stayed frozen here for good).
     */
    @Test
    void aTakeoverWhoseAnswerWasLostRestoresAPlayerHeldFrozenHereForAHandoverToTheDeadNode() {
        Start n1 = new Start("n1");
        Start n2 = new Start("n2");
        n1.core.moveTo(NodeLifecycle.RUNNING);
        n2.core.moveTo(NodeLifecycle.RUNNING);
        n1.handle(new NodeInput.GatewayLinked("g1"));
        n2.handle(new NodeInput.GatewayLinked("g1"));
        n1.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(7, "ana", null)));
        String ana = n1.world.players().getFirst().id();
        tickFor(3 * SECOND, n1, n2); // each sees the other hold its lease
        n1.handle(new NodeInput.FromGateway("g1", input(ana, 1))); // east, into n2's cell
        NodeEffect.CallPeer prepare = null;
        for (int i = 0; i < 400 && prepare == null; i++) {
            n1.seen.clear();
            tickFor(TICK, n1, n2);
            prepare = n1.seen.stream().filter(e -> e instanceof NodeEffect.CallPeer c
                    && c.request() instanceof PeerRequest.Prepare).map(NodeEffect.CallPeer.class::cast).findFirst()
                    .orElse(null);
        }
        assertThat(prepare).as("frozen at the border").isNotNull();
        n1.handle(new NodeInput.PeerAnswered(prepare.callId(),
                new PeerReply.Reserved(((PeerRequest.Prepare) prepare.request()).token())));
        for (int i = 0; i < 40 && !directory.owner(ana).toCompletableFuture().join().orElseThrow().node()
                .equals("n2"); i++) {
            tickFor(TICK, n1, n2); // the commit, once a cut covers the player's state
        }
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n2", 2));
        assertThat(n1.world.player(ana).orElseThrow().frozen()).as("its COMMIT never reaches n2").isTrue();

        n2.alive = false; // kill -9, before it heard of the commit
        int[] takeovers = {0};
        n1.loseAnswer = op -> op instanceof DirectoryOp.TakeOver && takeovers[0]++ == 0;
        tickFor(3 * TTL.toNanos(), n1);

        assertThat(takeovers[0]).as("the takeover was made again").isGreaterThan(1);
        assertThat(directory.owner(ana).toCompletableFuture().join()).contains(new OwnerRecord("n1", 3));
        assertThat(n1.world.player(ana).orElseThrow().frozen()).isFalse();
        assertThat(n1.core.epoch(ana)).contains(3L);
        assertThat(n1.core.recovering()).isFalse();
    }

    /**
     * A COMMIT that reaches a node still reconciling, for a reservation it has no trace of, is refused for a retry:
     * "unknown token" would make the source drop its copy for good, while the reconcile may have read this node's
     * players before the commit landed, and the player would be nobody's. Once running, the node restores it from
     * the commit.
     */
    @Test
    void aCommitForAnUnknownReservationWhileReconcilingIsRefusedForARetry() {
        Start n2 = new Start("n2"); // reconciling
        n2.handle(new NodeInput.FromPeer(5, new PeerRequest.Commit("p9", "tok", 2)));
        assertThat(n2.seen).filteredOn(NodeEffect.ReplyPeer.class::isInstance).singleElement()
                .isInstanceOfSatisfying(NodeEffect.ReplyPeer.class, r -> assertThat(r.reply())
                        .isInstanceOfSatisfying(PeerReply.Refused.class, x -> {
                            assertThat(x.code()).isEqualTo("not_running");
                            assertThat(x.status()).isEqualTo(503);
                        }));
    }
}
