package io.worldmesh.testkit;

import io.worldmesh.api.ActionSpec;
import io.worldmesh.api.CellRef;
import io.worldmesh.api.Game;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.node.core.NodeCore;
import io.worldmesh.node.core.LeaseTerms;
import io.worldmesh.node.core.NodeCoreSettings;
import io.worldmesh.node.core.NodeEffect;
import io.worldmesh.node.core.NodeInput;
import io.worldmesh.node.core.NodeLifecycle;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.link.WorldInfo;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One life of a simulation node's process, composed as {@code NodeServer} composes it: a world of the cells the
 * assignment gives it, its core with the cluster's token secret, holding its lease. A first start runs at once; a
 * restart reconciles first. Its clocks are the virtual one; its wall clock may be skewed. A crash ends the life: the
 * checks then see nothing of it.
 */
final class SimNode {

    /** Virtual wall-clock time at virtual time 0. */
    static final long WALL_START_MILLIS = 1_800_000_000_000L;

    private final int index;
    private final String id;
    private final World world;
    private final NodeCore core;
    private final long skewMillis;
    private boolean up = true;

    private SimNode(int index, String id, World world, NodeCore core, long skewMillis) {
        this.index = index;
        this.id = id;
        this.world = world;
        this.core = core;
        this.skewMillis = skewMillis;
    }

    /**
     * Each node's lease: short, so that a run's lost and late directory calls now and then keep a node from renewing
     * in time, and it is fenced and comes back, under every check.
     */
    static final Duration LEASE_TTL = Duration.ofMillis(1500);
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    /** A first start at time 0: nothing of an earlier start to take back, so it runs at once. */
    static SimNode create(int index, String id, long incarnation, SimulationConfig config, CellAssignment assignment,
                          Game game, byte[] secret, SplittableRandom random, long skewMillis) {
        SimNode node = start(index, id, incarnation, config, assignment, game, secret, random, skewMillis, 0);
        node.core.moveTo(NodeLifecycle.RUNNING);
        return node;
    }

    /**
     * A start at {@code nowNanos}, holding its lease from then, left RECONCILING: the caller hands it the reconcile
     * of its earlier incarnations, as {@code NodeServer} does.
     */
    static SimNode start(int index, String id, long incarnation, SimulationConfig config, CellAssignment assignment,
                         Game game, byte[] secret, SplittableRandom random, long skewMillis, long nowNanos) {
        WorldSettings settings = config.world(random.nextLong());
        World world = new World(settings, game, new WorldPlacement(new HashSet<>(assignment.cellsOf(id)),
                nowNanos / config.tickNanos(), incarnation));
        NodeCore core = new NodeCore(new NodeCoreSettings(id, config.handover(), config.tickNanos(),
                CHECKPOINT_INTERVAL.toNanos(), new LeaseTerms(incarnation, LEASE_TTL, nowNanos)), world,
                assignment, new HandoverTokens(secret), () -> true, random.split(), worldInfo(id, settings, game,
                assignment));
        core.moveTo(NodeLifecycle.RECONCILING);
        return new SimNode(index, id, world, core, skewMillis);
    }

    boolean up() {
        return up;
    }

    /** The process died: what it held is gone. */
    void crash() {
        up = false;
    }

    long skewMillis() {
        return skewMillis;
    }

    int index() {
        return index;
    }

    String id() {
        return id;
    }

    World world() {
        return world;
    }

    NodeCore core() {
        return core;
    }

    List<NodeEffect> handle(NodeInput input, long nowNanos) {
        return core.handle(input, nowNanos, WALL_START_MILLIS + nowNanos / 1_000_000L + skewMillis);
    }

    private static WorldInfo worldInfo(String id, WorldSettings w, Game game, CellAssignment a) {
        List<String> nodes = a.nodes();
        int[] owners = new int[w.cellsX() * w.cellsZ()];
        for (int cz = 0; cz < w.cellsZ(); cz++) {
            for (int cx = 0; cx < w.cellsX(); cx++) {
                owners[cz * w.cellsX() + cx] = nodes.indexOf(a.ownerOf(new CellRef(cx, cz)).orElseThrow());
            }
        }
        Map<String, Map<String, String>> actions = new LinkedHashMap<>();
        for (ActionSpec spec : game.actions()) {
            Map<String, String> fields = new LinkedHashMap<>();
            spec.fields().forEach((name, type) -> fields.put(name, type.name().toLowerCase(Locale.ROOT)));
            actions.put(spec.name(), fields);
        }
        return new WorldInfo(id, game.name(), w.tickRateHz(), w.cellsX(), w.cellsZ(), w.cellSizeM(),
                w.maxSpeedMps(), actions, nodes.size() > 1 ? nodes : List.of(),
                nodes.size() > 1 ? owners : new int[0]);
    }
}
