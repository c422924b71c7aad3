package io.worldmesh.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Encodes a world's snapshots for one tick and parses them, by recipient. */
final class Snapshots {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Snapshots() {
    }

    static Map<String, JsonNode> of(World w) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        new SnapshotEncoder("node-test").encode(w, (p, bytes) -> {
            try {
                out.put(p.id(), JSON.readTree(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return out;
    }
}
