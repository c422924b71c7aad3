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
import java.util.List;

/**
 * Reads every node's {@code GET /audit} for a checker outside the cluster, and tells a quiet moment: no handover in
 * flight and nothing moved on any node while the nodes were read one after another.
 */
public final class NodeAudits {

    /** The audits, and whether they were read at a quiet moment. */
    public record Settled(List<JsonNode> audits, boolean quiet) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeAudits() {
    }

    /** Every node's audit, in the order of {@code nodes}. */
    public static List<JsonNode> read(HttpClient http, Collection<URI> nodes) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (URI base : nodes) {
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(base.resolve("/audit"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            out.add(JSON.readTree(resp.body()));
        }
        return out;
    }

    /** Two reads in a row with no handover in flight in the first and nothing moved between them. */
    public static boolean quiet(List<JsonNode> first, List<JsonNode> second) {
        for (int i = 0; i < first.size(); i++) {
            if (first.get(i).get("in_flight").asInt() != 0
                    || first.get(i).get("moves").asLong() != second.get(i).get("moves").asLong()) {
                return false;
            }
        }
        return true;
    }

    /** Reads pairs until a quiet one, for up to 100 tries 100 ms apart; the last pair's first read otherwise. */
    public static Settled settle(HttpClient http, Collection<URI> nodes) throws Exception {
        List<JsonNode> audits = List.of();
        for (int attempt = 0; attempt < 100; attempt++) {
            if (attempt > 0) {
                Thread.sleep(100);
            }
            List<JsonNode> first = read(http, nodes);
            List<JsonNode> second = read(http, nodes);
            audits = first;
            if (quiet(first, second)) {
                return new Settled(first, true);
            }
        }
        return new Settled(audits, false);
    }
}
