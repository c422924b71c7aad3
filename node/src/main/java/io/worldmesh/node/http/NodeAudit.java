package io.worldmesh.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldmesh.api.Invariant;
import io.worldmesh.engine.Player;
import io.worldmesh.engine.World;
import io.worldmesh.node.core.NodeCore;

import java.util.Map;

/**
 * {@code GET /audit}: what a checker outside the node needs to audit a cluster at a quiet moment: the players here,
 * the game's invariant measures and own figures ({@code game_stats}), handovers in flight and a counter of everything that moves players, so that a
 * checker can tell whether players moved while it read the nodes one after another. Read-only.
 */
final class NodeAudit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeAudit() {
    }

    static String json(NodeCore core) {
        World w = core.world();
        ObjectNode o = JSON.createObjectNode();
        o.put("node", core.nodeId());
        o.put("lifecycle", core.lifecycle().name());
        o.put("tick", w.tick());
        o.put("in_flight", core.handoversInFlight());
        o.put("moves", core.counters().handoversStarted() + core.counters().arrived() + core.counters().departed()
                + core.counters().joins() + w.stats().leaves());
        o.put("inputs_applied", w.stats().appliedInputs());
        o.put("actions_applied", w.stats().appliedActions());
        o.put("joined", w.joined());
        o.put("left", w.left());
        o.put("local_handovers", w.stats().localHandovers());
        o.put("cross_node_arrivals", core.counters().arrived());
        var players = o.putArray("players");
        for (Player p : w.players()) {
            players.add(p.id());
        }
        ObjectNode measures = o.putObject("measures");
        for (Invariant inv : w.game().invariants()) {
            ObjectNode m = measures.putObject(inv.name());
            for (Map.Entry<String, Long> e : inv.measure(w).entrySet()) {
                m.put(e.getKey(), e.getValue());
            }
        }
        ObjectNode game = o.putObject("game_stats");
        new java.util.TreeMap<>(w.game().stats(w)).forEach(game::put);
        return o.toString();
    }
}
