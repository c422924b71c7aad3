package io.worldmesh.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the players are at the end, from every node's {@code /audit}, read once the cluster is quiet (no handover
 * in flight, nothing moved while the nodes were read one after another): players on no node are lost, players on
 * more than one are duplicated.
 */
final class PlayerAudit {

    record Outcome(int lost, int duplicated, boolean settled) {
    }

    private PlayerAudit() {
    }

    static Outcome of(Collection<URI> nodes, Collection<String> players) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        NodeAudits.Settled settled = NodeAudits.settle(http, nodes);
        Map<String, Integer> holders = new HashMap<>();
        for (JsonNode n : settled.audits()) {
            n.get("players").forEach(p -> holders.merge(p.asText(), 1, Integer::sum));
        }
        int lost = 0;
        int duplicated = 0;
        for (String p : players) {
            int on = holders.getOrDefault(p, 0);
            lost += on == 0 ? 1 : 0;
            duplicated += on > 1 ? 1 : 0;
        }
        return new Outcome(lost, duplicated, settled.quiet());
    }
}
