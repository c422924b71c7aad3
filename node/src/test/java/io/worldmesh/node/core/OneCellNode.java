package io.worldmesh.node.core;

import io.worldmesh.directory.CellAssignment;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldPlacement;
import io.worldmesh.engine.WorldSettings;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.handover.HandoverSettings;
import io.worldmesh.protocol.handover.HandoverTokens;
import io.worldmesh.protocol.link.WorldInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** A node n1 that owns the whole one-cell world of orbs, running (its reconcile had nothing to do): for core tests. */
record OneCellNode(World world, NodeCore core) {

    static final long TICK = 50_000_000L;
    /** A resume window of 200 ticks (10 s). */
    static final WorldSettings SETTINGS = new WorldSettings(1, 1, 64.0, 20, 8.0, 2.0, 10, 6.0, 200, 1L);

    static OneCellNode running() {
        CellAssignment cells = CellAssignment.stripes(1, 1, List.of("n1"));
        World world = new World(SETTINGS, new OrbGame(), new WorldPlacement(Set.copyOf(cells.cellsOf("n1")), 0, 1));
        NodeCore core = new NodeCore(new NodeCoreSettings("n1", HandoverSettings.DEFAULTS, TICK), world, cells,
                new HandoverTokens(new byte[16]), () -> true, new SplittableRandom(1),
                new WorldInfo("n1", "orbs", 20, 1, 1, SETTINGS.cellSizeM(), SETTINGS.maxSpeedMps(), Map.of()));
        core.moveTo(NodeLifecycle.RECONCILING);
        core.moveTo(NodeLifecycle.RUNNING);
        return new OneCellNode(world, core);
    }
}
