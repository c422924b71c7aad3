package io.worldmesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the players are at the end, from every node's {@code /audit}, read once the cluster is quiet (no handover
 * in flight, nothing moved while the nodes were read one after another): players on no node are lost, players on
 * more than one are duplicated.
 */
final class PlayerAudit {

    record Outcome(int lost, int duplicated, boolean settled) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlayerAudit() {
    }

    static Outcome of(Collection<URI> nodes, Collection<String> players) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<JsonNode> audit = null;
        boolean settled = false;
        for (int attempt = 0; attempt < 100 && !settled; attempt++) {
            if (attempt > 0) {
                Thread.sleep(100);
            }
            List<JsonNode> first = read(http, nodes);
            List<JsonNode> second = read(http, nodes);
            settled = quiet(first, second);
            audit = first;
        }
        Map<String, Integer> holders = new HashMap<>();
        for (JsonNode n : audit) {
            n.get("players").forEach(p -> holders.merge(p.asText(), 1, Integer::sum));
        }
        int lost = 0;
        int duplicated = 0;
        for (String p : players) {
            int on = holders.getOrDefault(p, 0);
            lost += on == 0 ? 1 : 0;
            duplicated += on > 1 ? 1 : 0;
        }
        return new Outcome(lost, duplicated, settled);
    }

    private static boolean quiet(List<JsonNode> first, List<JsonNode> second) {
        for (int i = 0; i < first.size(); i++) {
            if (first.get(i).get("in_flight").asInt() != 0
                    || first.get(i).get("moves").asLong() != second.get(i).get("moves").asLong()) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonNode> read(HttpClient http, Collection<URI> nodes) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (URI base : nodes) {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(base.resolve("/audit"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            out.add(JSON.readTree(resp.body()));
        }
        return out;
    }
}
