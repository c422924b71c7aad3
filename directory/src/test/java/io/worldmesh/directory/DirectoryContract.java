package io.worldmesh.directory;

import io.worldmesh.api.CellRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Directory} must do, run against each implementation: the commit compare-and-set and its
 * fencing, resolve, decisions, session writes, the game's cluster-wide state and the audit log.
 */
public abstract class DirectoryContract {

    private static final byte[] STATE = {1, 2, 3};
    private static final byte[] NEXT_STATE = {4, 5, 6, 7};

    protected Directory dir;

    /** A fresh, empty directory. */
    protected abstract Directory newDirectory();

    @BeforeEach
    void open() {
        dir = newDirectory();
    }

    @AfterEach
    void closeIt() {
        dir.close();
    }

    /**
     * Lets {@code d} pass on the clock the directory's leases run by: a virtual clock in memory, real time for a
     * server that expires keys by itself.
     */
    protected void passes(java.time.Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected static <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("directory call failed: " + e, e);
        }
    }

    protected static ClusterSettings settings(String game) {
        return new ClusterSettings("c1", game, 8, 8, 64, 20, 1_000L, 5_000L,
                Base64.getEncoder().encodeToString("0123456789abcdef0123".getBytes()));
    }

    private OwnerRecord created(String player, String node) {
        CreateOutcome out = get(dir.createPlayer(player, node, STATE));
        assertThat(out).isInstanceOf(CreateOutcome.Created.class);
        return ((CreateOutcome.Created) out).owner();
    }

    @Test
    void firstSettingsWinAndLaterOnesAreComparedNamingEachDifference() {
        assertThat(get(dir.registerSettings(settings("orbs"), true))).isInstanceOf(SettingsCheck.Agreed.class);
        assertThat(get(dir.registerSettings(settings("orbs"), true))).isInstanceOf(SettingsCheck.Agreed.class);
        SettingsCheck other = get(dir.registerSettings(settings("tag"), true));
        assertThat(other).isInstanceOf(SettingsCheck.Differs.class);
        assertThat(((SettingsCheck.Differs) other).differences()).singleElement().asString().contains("game");
        assertThat(other.cluster().game()).isEqualTo("orbs");
    }

    @Test
    void settingsReadBackAsWritten() {
        assertThat(get(dir.clusterSettings())).isEmpty();
        get(dir.registerSettings(settings("tag"), true));
        assertThat(get(dir.clusterSettings())).contains(settings("tag"));
    }

    @Test
    void secretIsComparedOnlyWhenTheProcessHasOne() {
        get(dir.registerSettings(settings("orbs"), true));
        ClusterSettings otherSecret = new ClusterSettings("c2", "orbs", 8, 8, 64, 20, 5L, 5_000L,
                Base64.getEncoder().encodeToString("another-secret-of-16+".getBytes()));
        SettingsCheck compared = get(dir.registerSettings(otherSecret, true));
        assertThat(compared).isInstanceOf(SettingsCheck.Differs.class);
        assertThat(((SettingsCheck.Differs) compared).differences()).singleElement().asString().contains("secret");
        SettingsCheck taken = get(dir.registerSettings(otherSecret, false));
        assertThat(taken).isInstanceOf(SettingsCheck.Agreed.class);
        assertThat(taken.cluster().secretBase64()).isEqualTo(settings("orbs").secretBase64());
        assertThat(taken.cluster().tick0Millis()).isEqualTo(1_000L);
    }

    @Test
    void aNodeWithAnotherLeaseTtlIsToldSoAndAProcessWithoutLeasesIsNot() {
        get(dir.registerSettings(settings("orbs"), true));
        ClusterSettings s = settings("orbs");
        ClusterSettings longer = new ClusterSettings(s.clusterId(), s.game(), s.cellsX(), s.cellsZ(), s.cellSizeM(),
                s.tickRateHz(), s.tick0Millis(), 30_000L, s.secretBase64());
        SettingsCheck differs = get(dir.registerSettings(longer, true));
        assertThat(differs).isInstanceOf(SettingsCheck.Differs.class);
        assertThat(((SettingsCheck.Differs) differs).differences()).singleElement().asString()
                .contains("lease TTL").contains("5000 ms").contains("30000 ms");
        ClusterSettings none = new ClusterSettings(s.clusterId(), s.game(), s.cellsX(), s.cellsZ(), s.cellSizeM(),
                s.tickRateHz(), s.tick0Millis(), 0L, s.secretBase64());
        assertThat(get(dir.registerSettings(none, true))).isInstanceOf(SettingsCheck.Agreed.class);
        assertThat(get(dir.clusterSettings()).orElseThrow().leaseTtlMillis()).isEqualTo(5_000L);
    }

    @Test
    void anAssignmentIsReplacedOnlyFromTheVersionStored() {
        CellAssignment first = get(dir.proposeAssignment(CellAssignment.stripes(4, 2, List.of("n1", "n2"))));
        CellAssignment onlyN1 = CellAssignment.stripes(4, 2, List.of("n1")).withVersion(first.version() + 1);
        CellAssignment onlyN2 = CellAssignment.stripes(4, 2, List.of("n2")).withVersion(first.version() + 1);
        assertThat(get(dir.replaceAssignment(first.version(), onlyN1))).contains(onlyN1);
        assertThat(get(dir.replaceAssignment(first.version(), onlyN2))).as("the other adopter lost")
                .contains(onlyN1);
        assertThat(get(dir.assignment())).contains(onlyN1);
    }

    @Test
    void firstAssignmentIsKept() {
        CellAssignment a = CellAssignment.stripes(4, 2, List.of("n1", "n2"));
        CellAssignment b = CellAssignment.stripes(4, 2, List.of("n2", "n1"));
        assertThat(get(dir.assignment())).isEmpty();
        assertThat(get(dir.proposeAssignment(a))).isEqualTo(a);
        assertThat(get(dir.proposeAssignment(b))).isEqualTo(a);
        assertThat(get(dir.assignment())).contains(a);
        assertThat(a.ownerOf(new CellRef(0, 1))).contains("n1");
        assertThat(a.ownerOf(new CellRef(3, 1))).contains("n2");
    }

    @Test
    void everyRegistrationGetsANewIncarnation() {
        NodeEndpoint first = get(dir.registerNode("n1", "http://127.0.0.1:1"));
        NodeEndpoint second = get(dir.registerNode("n2", "http://127.0.0.1:2"));
        NodeEndpoint again = get(dir.registerNode("n1", "http://127.0.0.1:3"));
        assertThat(List.of(first.incarnation(), second.incarnation(), again.incarnation())).doesNotHaveDuplicates();
        Map<String, NodeEndpoint> nodes = get(dir.nodes());
        assertThat(nodes).containsOnlyKeys("n1", "n2");
        assertThat(nodes.get("n1").baseUrl()).isEqualTo("http://127.0.0.1:3");
    }

    @Test
    void aPlayerIsCreatedOnceAtEpochOne() {
        assertThat(created("p1", "n1")).isEqualTo(new OwnerRecord("n1", 1));
        CreateOutcome again = get(dir.createPlayer("p1", "n2", NEXT_STATE));
        assertThat(again).isEqualTo(new CreateOutcome.AlreadyExists(new OwnerRecord("n1", 1)));
        assertThat(get(dir.owner("p1"))).contains(new OwnerRecord("n1", 1));
        assertThat(get(dir.session("p1")).orElseThrow().state()).containsExactly(STATE);
    }

    @Test
    void commitMovesOwnerAndStateAtTheNextEpochAndRecordsTheDecision() {
        OwnerRecord owner = created("p1", "n1");
        CommitOutcome out = get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", NEXT_STATE)));
        assertThat(out).isEqualTo(new CommitOutcome.Committed(new OwnerRecord("n2", 2)));
        assertThat(get(dir.owner("p1"))).contains(new OwnerRecord("n2", 2));
        SessionRecord s = get(dir.session("p1")).orElseThrow();
        assertThat(s.epoch()).isEqualTo(2);
        assertThat(s.state()).containsExactly(NEXT_STATE);
        assertThat(get(dir.decision("p1", "t1"))).contains(Decision.COMMIT);
        assertThat(get(dir.resolve("p1", "t1"))).isEqualTo(Decision.COMMIT);
    }

    @Test
    void aRepeatedCommitChangesNothing() {
        OwnerRecord owner = created("p1", "n1");
        get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", NEXT_STATE)));
        CommitOutcome again = get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", NEXT_STATE)));
        assertThat(again).isEqualTo(new CommitOutcome.AlreadyDecided(Decision.COMMIT));
        assertThat(get(dir.owner("p1"))).contains(new OwnerRecord("n2", 2));
    }

    @Test
    void aStaleEpochCannotCommit() {
        OwnerRecord owner = created("p1", "n1");
        get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", NEXT_STATE)));
        CommitOutcome stale = get(dir.commit(new HandoverCommit("p1", "t2", owner, "n3", STATE)));
        assertThat(stale).isEqualTo(new CommitOutcome.NotOwner(Optional.of(new OwnerRecord("n2", 2))));
        assertThat(get(dir.decision("p1", "t2"))).isEmpty();
        assertThat(get(dir.session("p1")).orElseThrow().state()).containsExactly(NEXT_STATE);
    }

    @Test
    void anUnknownPlayerCannotCommit() {
        CommitOutcome out = get(dir.commit(new HandoverCommit("ghost", "t1", new OwnerRecord("n1", 1), "n2", STATE)));
        assertThat(out).isEqualTo(new CommitOutcome.NotOwner(Optional.empty()));
        assertThat(get(dir.owner("ghost"))).isEmpty();
    }

    @Test
    void resolveAbortsAnUndecidedTokenAndThenNothingCommitsIt() {
        OwnerRecord owner = created("p1", "n1");
        assertThat(get(dir.decision("p1", "t1"))).isEmpty();
        assertThat(get(dir.resolve("p1", "t1"))).isEqualTo(Decision.ABORT);
        assertThat(get(dir.resolve("p1", "t1"))).isEqualTo(Decision.ABORT);
        CommitOutcome late = get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", NEXT_STATE)));
        assertThat(late).isEqualTo(new CommitOutcome.AlreadyDecided(Decision.ABORT));
        assertThat(get(dir.owner("p1"))).contains(owner);
        assertThat(get(dir.session("p1")).orElseThrow().state()).containsExactly(STATE);
    }

    @Test
    void decisionsAreKeptPerPlayer() {
        created("p1", "n1");
        created("p2", "n1");
        get(dir.resolve("p1", "same-token"));
        assertThat(get(dir.decision("p2", "same-token"))).isEmpty();
    }

    @Test
    void concurrentCommitAndResolveAgreeOnOneOutcome() {
        for (int i = 0; i < 50; i++) {
            String p = "race" + i;
            OwnerRecord owner = created(p, "n1");
            CompletableFuture<CommitOutcome> commit =
                    dir.commit(new HandoverCommit(p, "t", owner, "n2", NEXT_STATE)).toCompletableFuture();
            CompletableFuture<Decision> resolve = dir.resolve(p, "t").toCompletableFuture();
            CommitOutcome c = get(commit);
            Decision d = get(resolve);
            if (c instanceof CommitOutcome.Committed) {
                assertThat(d).isEqualTo(Decision.COMMIT);
                assertThat(get(dir.owner(p))).contains(new OwnerRecord("n2", 2));
            } else {
                assertThat(c).isEqualTo(new CommitOutcome.AlreadyDecided(Decision.ABORT));
                assertThat(d).isEqualTo(Decision.ABORT);
                assertThat(get(dir.owner(p))).contains(owner);
            }
        }
    }

    @Test
    void sessionWritesAreFencedByEpoch() {
        OwnerRecord owner = created("p1", "n1");
        assertThat(get(dir.writeSession("p1", 1, NEXT_STATE))).isEqualTo(new FencedWrite.Written());
        get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", STATE)));
        FencedWrite stale = get(dir.writeSession("p1", 1, NEXT_STATE));
        assertThat(stale).isEqualTo(new FencedWrite.Fenced(Optional.of(new OwnerRecord("n2", 2))));
        assertThat(get(dir.session("p1")).orElseThrow().state()).containsExactly(STATE);
        assertThat(get(dir.writeSession("nobody", 1, STATE))).isEqualTo(new FencedWrite.Fenced(Optional.empty()));
    }

    @Test
    void onlyTheCurrentOwnerRemovesAPlayer() {
        OwnerRecord owner = created("p1", "n1");
        get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", STATE)));
        assertThat(get(dir.removePlayer("p1", owner))).isInstanceOf(FencedWrite.Fenced.class);
        assertThat(get(dir.owner("p1"))).isPresent();
        assertThat(get(dir.removePlayer("p1", new OwnerRecord("n2", 2)))).isEqualTo(new FencedWrite.Written());
        assertThat(get(dir.owner("p1"))).isEmpty();
        assertThat(get(dir.session("p1"))).isEmpty();
    }

    @Test
    void gameStateIsACompareAndSetOnVersions() {
        assertThat(get(dir.gameState("tag.it"))).isEqualTo(VersionedValue.ABSENT);
        CasOutcome first = get(dir.compareAndSetGameState("tag.it", 0, "p1"));
        assertThat(first).isEqualTo(new CasOutcome.Swapped(new VersionedValue("p1", 1)));
        CasOutcome lost = get(dir.compareAndSetGameState("tag.it", 0, "p2"));
        assertThat(lost).isEqualTo(new CasOutcome.Conflict(new VersionedValue("p1", 1)));
        assertThat(get(dir.compareAndSetGameState("tag.it", 1, ""))).isInstanceOf(CasOutcome.Swapped.class);
        assertThat(get(dir.gameState("tag.it"))).isEqualTo(new VersionedValue("", 2));
    }

    @Test
    void theAuditLogRecordsEveryOwnershipChangeInOrder() {
        OwnerRecord owner = created("p1", "n1");
        get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", STATE)));
        get(dir.resolve("p1", "t2")); // an abort changes no owner
        get(dir.removePlayer("p1", new OwnerRecord("n2", 2)));
        List<OwnershipChange> log = get(dir.audit(100));
        assertThat(log).containsExactly(
                new OwnershipChange("p1", null, new OwnerRecord("n1", 1), ""),
                new OwnershipChange("p1", new OwnerRecord("n1", 1), new OwnerRecord("n2", 2), "t1"),
                new OwnershipChange("p1", new OwnerRecord("n2", 2), null, ""));
        assertThat(get(dir.audit(1))).hasSize(1);
    }

    @Test
    void epochsOnlyGrowAlongAChainOfHandovers() {
        OwnerRecord owner = created("p1", "n1");
        List<Long> epochs = new ArrayList<>();
        String[] nodes = {"n2", "n3", "n1", "n2"};
        for (int i = 0; i < nodes.length; i++) {
            CommitOutcome out = get(dir.commit(new HandoverCommit("p1", "t" + i, owner, nodes[i], STATE)));
            owner = ((CommitOutcome.Committed) out).owner();
            epochs.add(owner.epoch());
        }
        assertThat(epochs).containsExactly(2L, 3L, 4L, 5L);
    }

    @Test
    void theNewOwnerWritesAtTheNewEpoch() {
        OwnerRecord owner = created("p1", "n1");
        get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", STATE)));
        assertThat(get(dir.writeSession("p1", 2, NEXT_STATE))).isEqualTo(new FencedWrite.Written());
        SessionRecord s = get(dir.session("p1")).orElseThrow();
        assertThat(s.epoch()).isEqualTo(2);
        assertThat(s.state()).containsExactly(NEXT_STATE);
    }

    @Test
    void theRightEpochOnTheWrongNodeNeitherCommitsNorRemoves() {
        created("p1", "n1");
        OwnerRecord impostor = new OwnerRecord("n9", 1);
        CommitOutcome out = get(dir.commit(new HandoverCommit("p1", "t1", impostor, "n2", NEXT_STATE)));
        assertThat(out).isEqualTo(new CommitOutcome.NotOwner(Optional.of(new OwnerRecord("n1", 1))));
        assertThat(get(dir.decision("p1", "t1"))).isEmpty();
        assertThat(get(dir.removePlayer("p1", impostor)))
                .isEqualTo(new FencedWrite.Fenced(Optional.of(new OwnerRecord("n1", 1))));
        assertThat(get(dir.owner("p1"))).contains(new OwnerRecord("n1", 1));
    }

    @Test
    void aDecisionOutlivesItsPlayerSoThatALateParticipantStillLearnsIt() {
        OwnerRecord owner = created("p1", "n1");
        get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", STATE)));
        get(dir.removePlayer("p1", new OwnerRecord("n2", 2)));
        assertThat(get(dir.resolve("p1", "t1"))).isEqualTo(Decision.COMMIT);
    }

    @Test
    void anAbsentGameKeyOnlySwapsFromVersionZero() {
        CasOutcome out = get(dir.compareAndSetGameState("nothing.yet", 3, "x"));
        assertThat(out).isEqualTo(new CasOutcome.Conflict(VersionedValue.ABSENT));
        assertThat(get(dir.gameState("nothing.yet"))).isEqualTo(VersionedValue.ABSENT);
    }

    // ---- leases (rule 12) and checkpoints (rule 6)

    private static final java.time.Duration TTL = java.time.Duration.ofMillis(400);

    @Test
    void aLeaseIsHeldByOneIncarnationUntilItRunsOut() {
        long first = get(dir.registerNode("n1", "http://a")).incarnation();
        assertThat(get(dir.holdLease("n1", first, TTL))).isEqualTo(new LeaseOutcome.Held());
        assertThat(get(dir.leases())).isEqualTo(Map.of("n1", first));
        long second = get(dir.registerNode("n1", "http://b")).incarnation();
        assertThat(get(dir.holdLease("n1", second, TTL))).isEqualTo(new LeaseOutcome.HeldByOther(first));
        assertThat(get(dir.holdLease("n1", first, TTL))).as("renewed by its holder").isEqualTo(new LeaseOutcome.Held());
        passes(TTL.plusMillis(200));
        assertThat(get(dir.leases())).as("run out").isEmpty();
        assertThat(get(dir.holdLease("n1", second, TTL))).isEqualTo(new LeaseOutcome.Held());
        assertThat(get(dir.leases())).isEqualTo(Map.of("n1", second));
    }

    @Test
    void aRenewedLeaseOutlivesItsFirstTtl() {
        long inc = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", inc, TTL));
        passes(TTL.dividedBy(2));
        get(dir.holdLease("n1", inc, TTL));
        passes(TTL.dividedBy(2).plusMillis(100));
        assertThat(get(dir.leases())).containsEntry("n1", inc);
    }

    @Test
    void onlyItsHolderReleasesALease() {
        long first = get(dir.registerNode("n1", "http://a")).incarnation();
        long other = get(dir.registerNode("n2", "http://b")).incarnation();
        get(dir.holdLease("n1", first, java.time.Duration.ofSeconds(30)));
        get(dir.holdLease("n2", other, java.time.Duration.ofSeconds(30)));
        assertThat(get(dir.releaseLease("n1", first + 100))).isFalse();
        assertThat(get(dir.leases())).containsOnlyKeys("n1", "n2");
        assertThat(get(dir.releaseLease("n1", first))).isTrue();
        assertThat(get(dir.leases())).isEqualTo(Map.of("n2", other));
        assertThat(get(dir.releaseLease("n1", first))).isFalse();
    }

    @Test
    void aCheckpointWritesOnlyWhatTheWriterOwnsAtItsEpoch() {
        created("p1", "n1");
        OwnerRecord moved = created("p2", "n1");
        created("p3", "n2");
        get(dir.commit(new HandoverCommit("p2", "t1", moved, "n2", STATE)));
        CheckpointOutcome out = get(checkpointOf("n1", List.of(new SessionWrite("p1", 1, NEXT_STATE),
                new SessionWrite("p2", 1, NEXT_STATE), new SessionWrite("p3", 1, NEXT_STATE),
                new SessionWrite("nobody", 1, NEXT_STATE))));
        assertThat(out.written()).isEqualTo(1);
        assertThat(out.fenced()).containsExactly("p2", "p3", "nobody");
        assertThat(get(dir.session("p1")).orElseThrow().state()).containsExactly(NEXT_STATE);
        assertThat(get(dir.session("p2")).orElseThrow()).as("the new owner's, at epoch 2")
                .satisfies(r -> assertThat(r.epoch()).isEqualTo(2)).satisfies(r -> assertThat(r.state())
                        .containsExactly(STATE));
        assertThat(get(dir.session("p3")).orElseThrow().state()).containsExactly(STATE);
        assertThat(get(dir.session("nobody"))).isEmpty();
        assertThat(get(checkpointOf("n1", List.of()))).isEqualTo(new CheckpointOutcome(0, List.of()));
    }

    @Test
    void aCutWritesTheGroundAndRemovesThePlayersWhoLeftAtTheirEpoch() {
        created("p1", "n1");
        OwnerRecord moved = created("p2", "n1");
        get(dir.commit(new HandoverCommit("p2", "t1", moved, "n2", STATE)));
        CheckpointOutcome out = get(dir.checkpoint(new NodeCut("n1", 0, Map.of("0:0", NEXT_STATE), List.of(),
                List.of(new NodeCut.Removal("p1", 1), new NodeCut.Removal("p2", 1)))));
        assertThat(out).isEqualTo(new CheckpointOutcome(0, List.of(), 1, false));
        assertThat(get(dir.owner("p1"))).isEmpty();
        assertThat(get(dir.session("p1"))).isEmpty();
        assertThat(get(dir.owner("p2"))).as("handed on: not the writer's to remove").contains(moved.next("n2"));
        assertThat(get(dir.playersOf("n1"))).isEmpty();
        assertThat(get(dir.takeGround("n1", 0, List.of("0:0", "1:0")))).isInstanceOfSatisfying(
                GroundTakeover.Taken.class, t -> {
                    assertThat(t.ground()).containsOnlyKeys("0:0");
                    assertThat(t.ground().get("0:0")).containsExactly(NEXT_STATE);
                });
    }

    @Test
    void takingADeadNodesGroundFencesItsLateCutsButNotALaterStart() {
        long dead = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", dead, TTL));
        get(dir.checkpoint(new NodeCut("n1", dead, Map.of("0:0", STATE, "1:0", NEXT_STATE), List.of(), List.of())));
        assertThat(get(dir.takeGround("n1", dead, List.of("0:0")))).as("alive")
                .isEqualTo(new GroundTakeover.LeaseLive(dead));
        assertThat(get(dir.holdLease("n1", dead, TTL))).as("not fenced").isEqualTo(new LeaseOutcome.Held());
        passes(TTL.plusMillis(200));
        assertThat(get(dir.takeGround("n1", dead, List.of("0:0", "1:0", "2:0")))).isInstanceOfSatisfying(
                GroundTakeover.Taken.class, t -> {
                    assertThat(t.ground()).containsOnlyKeys("0:0", "1:0");
                    assertThat(t.ground().get("1:0")).containsExactly(NEXT_STATE);
                });
        assertThat(get(dir.checkpoint(new NodeCut("n1", dead, Map.of("0:0", NEXT_STATE), List.of(), List.of()))))
                .as("the dead incarnation's late cut").isEqualTo(CheckpointOutcome.refusedWhole());
        assertThat(get(dir.holdLease("n1", dead, TTL))).isEqualTo(new LeaseOutcome.TakenOver());
        long later = get(dir.registerNode("n1", "http://a")).incarnation();
        assertThat(get(dir.checkpoint(new NodeCut("n1", later, Map.of("0:0", NEXT_STATE), List.of(), List.of())))
                .nodeFenced()).isFalse();
        assertThat(get(dir.takeGround("n1", dead, List.of("0:0")))).isInstanceOfSatisfying(GroundTakeover.Taken.class,
                t -> assertThat(t.ground().get("0:0")).containsExactly(NEXT_STATE));
    }

    private java.util.concurrent.CompletionStage<CheckpointOutcome> checkpointOf(String node,
                                                                              List<SessionWrite> writes) {
        return dir.checkpoint(NodeCut.ofPlayers(node, 0, writes));
    }

    // ---- failover (rule 12)

    @Test
    void theDirectoryKnowsWhichPlayersEachNodeOwns() {
        OwnerRecord a = created("p1", "n1");
        created("p2", "n1");
        created("p3", "n2");
        assertThat(get(dir.playersOf("n1"))).isEqualTo(Map.of("p1", 1L, "p2", 1L));
        get(dir.commit(new HandoverCommit("p1", "t1", a, "n2", STATE)));
        get(dir.removePlayer("p2", new OwnerRecord("n1", 1)));
        assertThat(get(dir.playersOf("n1"))).isEmpty();
        assertThat(get(dir.playersOf("n2"))).isEqualTo(Map.of("p1", 2L, "p3", 1L));
    }

    @Test
    void noPlayerIsTakenFromANodeWhoseLeaseIsLive() {
        long inc = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", inc, java.time.Duration.ofSeconds(30)));
        OwnerRecord owner = created("p1", "n1");
        assertThat(get(dir.takeOver("p1", owner, inc, "n2"))).isEqualTo(new TakeoverOutcome.LeaseLive(inc));
        assertThat(get(dir.owner("p1"))).contains(owner);
        assertThat(get(dir.holdLease("n1", inc, TTL))).as("not fenced").isEqualTo(new LeaseOutcome.Held());
    }

    @Test
    void aDeadNodesPlayerMovesToTheTakerAtTheNextEpochFromItsLastCheckpoint() {
        long inc = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", inc, TTL));
        OwnerRecord owner = created("p1", "n1");
        get(checkpointOf("n1", List.of(new SessionWrite("p1", 1, NEXT_STATE))));
        passes(TTL.plusMillis(200));
        TakeoverOutcome took = get(dir.takeOver("p1", owner, inc, "n2"));
        assertThat(took).isInstanceOfSatisfying(TakeoverOutcome.TookOver.class, t -> {
            assertThat(t.owner()).isEqualTo(new OwnerRecord("n2", 2));
            assertThat(t.state()).containsExactly(NEXT_STATE);
        });
        assertThat(get(dir.owner("p1"))).contains(new OwnerRecord("n2", 2));
        assertThat(get(dir.session("p1")).orElseThrow().epoch()).isEqualTo(2);
        assertThat(get(dir.playersOf("n2"))).isEqualTo(Map.of("p1", 2L));
        assertThat(get(dir.playersOf("n1"))).isEmpty();
        assertThat(get(dir.takeOver("p1", owner, inc, "n3"))).as("taken once")
                .isEqualTo(new TakeoverOutcome.NotOwner(Optional.of(new OwnerRecord("n2", 2))));
        assertThat(get(dir.checkpoint(NodeCut.ofPlayers("n1", inc, List.of(new SessionWrite("p1", 1, STATE))))))
                .as("the dead node's late checkpoint is refused whole").isEqualTo(CheckpointOutcome.refusedWhole());
        List<OwnershipChange> audit = get(dir.audit(1));
        assertThat(audit.getFirst()).isEqualTo(new OwnershipChange("p1", owner, new OwnerRecord("n2", 2), "failover"));
    }

    @Test
    void aTakenOverIncarnationNeverHoldsItsLeaseAgainButALaterStartDoes() {
        long dead = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", dead, TTL));
        OwnerRecord owner = created("p1", "n1");
        OwnerRecord other = created("p2", "n1");
        passes(TTL.plusMillis(200));
        get(dir.takeOver("p1", owner, dead, "n2"));
        assertThat(get(dir.holdLease("n1", dead, TTL))).isEqualTo(new LeaseOutcome.TakenOver());
        assertThat(get(dir.leases())).doesNotContainKey("n1");
        long restarted = get(dir.registerNode("n1", "http://a")).incarnation();
        assertThat(get(dir.holdLease("n1", restarted, TTL))).isEqualTo(new LeaseOutcome.Held());
        assertThat(get(dir.takeOver("p2", other, dead, "n1"))).as("the restart takes back its own player")
                .isInstanceOf(TakeoverOutcome.TookOver.class);
        assertThat(get(dir.owner("p2"))).contains(new OwnerRecord("n1", 2));
    }

    /**
     * Another node that judged the node dead before it restarted must not take the players its new incarnation has
     * taken back (the simulator found two owners this way): only the restarted node itself may take over past a
     * later incarnation's lease.
     */
    @Test
    void aRestartedNodesPlayersAreNotTakenByAnotherNodeThatSawItsEarlierIncarnationDie() {
        get(dir.proposeAssignment(CellAssignment.stripes(2, 1, List.of("n1", "n2"))));
        long dead = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", dead, TTL));
        OwnerRecord owner = created("p1", "n1");
        passes(TTL.plusMillis(200));
        long restarted = get(dir.registerNode("n1", "http://a")).incarnation();
        assertThat(get(dir.holdLease("n1", restarted, TTL))).isEqualTo(new LeaseOutcome.Held());
        assertThat(get(dir.takeOver("p1", owner, dead, "n2"))).as("n1 is alive again")
                .isEqualTo(new TakeoverOutcome.LeaseLive(restarted));
        assertThat(get(dir.owner("p1"))).contains(owner);
        assertThat(get(dir.takeOver("p1", owner, dead, "n1"))).isInstanceOf(TakeoverOutcome.TookOver.class);
    }

    /**
     * A restarted node whose cells had moved before it took its lease holds none of its earlier incarnation's
     * players: the node that took the cells takes them, past the new incarnation's lease.
     */
    @Test
    void aRestartWithoutCellsLeavesItsEarlierPlayersToTheNodeThatTookItsCells() {
        CellAssignment stripes = get(dir.proposeAssignment(CellAssignment.stripes(2, 1, List.of("n1", "n2"))));
        long dead = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", dead, TTL));
        OwnerRecord owner = created("p1", "n1");
        passes(TTL.plusMillis(200));
        assertThat(get(dir.moveCellsOfDead("n1", dead, stripes.version(), stripes.moving("n1", "n2"))).orElseThrow()
                .cellsOf("n1")).isEmpty();
        long restarted = get(dir.registerNode("n1", "http://a")).incarnation();
        assertThat(get(dir.holdLease("n1", restarted, TTL))).isEqualTo(new LeaseOutcome.Held());
        assertThat(get(dir.takeOver("p1", owner, dead, "n2"))).isInstanceOf(TakeoverOutcome.TookOver.class);
    }

    /**
     * A takeover whose answer was lost is asked again; the dead node may have started again meanwhile and been given
     * cells, but the player is the taker's already, and it is told so (the simulator found such a player owned by a
     * node that never restored it).
     */
    @Test
    void aTakeoverAskedAgainIsToldItTookEffectWhateverTheLeaseSaysNow() {
        CellAssignment stripes = get(dir.proposeAssignment(CellAssignment.stripes(2, 1, List.of("n1", "n2"))));
        long dead = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", dead, TTL));
        OwnerRecord owner = created("p1", "n1");
        passes(TTL.plusMillis(200));
        CellAssignment moved = get(dir.moveCellsOfDead("n1", dead, stripes.version(), stripes.moving("n1", "n2")))
                .orElseThrow();
        assertThat(get(dir.takeOver("p1", owner, dead, "n2"))).isInstanceOf(TakeoverOutcome.TookOver.class);
        long restarted = get(dir.registerNode("n1", "http://a")).incarnation();
        assertThat(get(dir.holdLease("n1", restarted, TTL))).isEqualTo(new LeaseOutcome.Held());
        get(dir.replaceAssignment(moved.version(), moved.moving("n2", "n1")));
        assertThat(get(dir.takeOver("p1", owner, dead, "n2"))).as("the answer asked again")
                .isEqualTo(new TakeoverOutcome.NotOwner(Optional.of(new OwnerRecord("n2", 2))));
        assertThat(get(dir.takeOver("p1", owner, dead, "n3"))).as("another taker still finds n1 alive")
                .isEqualTo(new TakeoverOutcome.LeaseLive(restarted));
    }

    /** Failover moves a node's cells only while no incarnation of it holds the lease. */
    @Test
    void aDeadNodesCellsMoveOnlyWhileNoIncarnationOfItHoldsTheLease() {
        CellAssignment stripes = get(dir.proposeAssignment(CellAssignment.stripes(2, 1, List.of("n1", "n2"))));
        long first = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", first, TTL));
        passes(TTL.plusMillis(200));
        long restarted = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", restarted, TTL));
        assertThat(get(dir.moveCellsOfDead("n1", first, stripes.version(), stripes.moving("n1", "n2"))))
                .as("restarted").contains(stripes);
        passes(TTL.plusMillis(200));
        CellAssignment moved = get(dir.moveCellsOfDead("n1", restarted, stripes.version(),
                stripes.moving("n1", "n2"))).orElseThrow();
        assertThat(moved.cellsOf("n1")).isEmpty();
        assertThat(moved.cellsOf("n2")).hasSize(2);
    }

    /**
     * Moving a dead node's cells fences it: woken from a pause after the move, it cannot hold its lease again (it
     * would simulate cells that are another node's now). A move that does not take effect fences nothing.
     */
    @Test
    void movingADeadNodesCellsFencesItsIncarnation() {
        CellAssignment stripes = get(dir.proposeAssignment(CellAssignment.stripes(2, 1, List.of("n1", "n2"))));
        long paused = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", paused, TTL));
        passes(TTL.plusMillis(200));
        assertThat(get(dir.moveCellsOfDead("n1", paused, stripes.version() + 5, stripes.moving("n1", "n2")
                .withVersion(stripes.version() + 6)))).as("a stale version moves nothing").contains(stripes);
        assertThat(get(dir.holdLease("n1", paused, TTL))).as("so it fences nothing").isEqualTo(new LeaseOutcome.Held());
        passes(TTL.plusMillis(200));
        assertThat(get(dir.moveCellsOfDead("n1", paused, stripes.version(), stripes.moving("n1", "n2"))).orElseThrow()
                .cellsOf("n1")).isEmpty();
        assertThat(get(dir.holdLease("n1", paused, TTL))).isEqualTo(new LeaseOutcome.TakenOver());
        long restarted = get(dir.registerNode("n1", "http://a")).incarnation();
        assertThat(get(dir.holdLease("n1", restarted, TTL))).as("a new start is not fenced")
                .isEqualTo(new LeaseOutcome.Held());
    }

    /**
     * A taker may have missed a restart (it was paused, or the directory was down) and judge the earlier incarnation
     * dead. When no lease is live at all, the restart it never saw has lapsed as well: each failover step fences up to
     * the lease's last holder, else that restart, waking, would hold its lease again and keep players another node
     * was handed. A live later holder is never fenced.
     */
    @Test
    void aFailoverStepFencesTheLastHolderOfALapsedLease() {
        CellAssignment stripes = get(dir.proposeAssignment(CellAssignment.stripes(2, 1, List.of("n1", "n2"))));
        long seen = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", seen, TTL));
        long unseen = get(dir.registerNode("n1", "http://a")).incarnation();
        passes(TTL.plusMillis(200));
        get(dir.holdLease("n1", unseen, TTL));
        passes(TTL.plusMillis(200)); // the restart pauses in turn
        get(dir.moveCellsOfDead("n1", seen, stripes.version(), stripes.moving("n1", "n2")));
        assertThat(get(dir.holdLease("n1", unseen, TTL))).as("the restart the taker did not see")
                .isEqualTo(new LeaseOutcome.TakenOver());

        long third = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", third, TTL));
        passes(TTL.plusMillis(200));
        assertThat(get(dir.takeGround("n1", seen, List.of()))).isInstanceOf(GroundTakeover.Taken.class);
        assertThat(get(dir.holdLease("n1", third, TTL))).as("taking the ground fences it too")
                .isEqualTo(new LeaseOutcome.TakenOver());

        long fourth = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", fourth, TTL));
        get(dir.createPlayer("p1", "n1", new byte[]{1}));
        passes(TTL.plusMillis(200));
        assertThat(get(dir.takeOver("p1", new OwnerRecord("n1", 1), seen, "n2")))
                .isInstanceOf(TakeoverOutcome.TookOver.class);
        assertThat(get(dir.holdLease("n1", fourth, TTL))).as("taking a player fences it too")
                .isEqualTo(new LeaseOutcome.TakenOver());

        long live = get(dir.registerNode("n1", "http://a")).incarnation();
        get(dir.holdLease("n1", live, TTL));
        get(dir.createPlayer("p2", "n1", new byte[]{2}));
        assertThat(get(dir.takeOver("p2", new OwnerRecord("n1", 1), fourth, "n2"))).as("a node with no cells")
                .isInstanceOf(TakeoverOutcome.TookOver.class);
        assertThat(get(dir.holdLease("n1", live, TTL))).as("a live later holder is not fenced")
                .isEqualTo(new LeaseOutcome.Held());
    }
}
