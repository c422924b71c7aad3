package io.worldmesh.directory.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.CollectionType;
import io.worldmesh.api.CellRef;
import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.NodeEndpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON forms of the directory's whole-value records: settings, the cell table, node endpoints. */
final class DirectoryJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CollectionType CELL_LIST =
            JSON.getTypeFactory().constructCollectionType(List.class, CellOwner.class);

    /** One row of the cell table; a list of rows, since JSON object keys cannot be cells. */
    record CellOwner(int cx, int cz, String node) {
    }

    private DirectoryJson() {
    }

    static byte[] settings(ClusterSettings settings) {
        return write(settings);
    }

    static ClusterSettings settings(byte[] json) {
        return read(json, ClusterSettings.class);
    }

    /** The table in a stable order (by row, then column), so that equal assignments are equal bytes. */
    static byte[] cellTable(CellAssignment assignment) {
        List<CellOwner> rows = assignment.owners().entrySet().stream()
                .map(e -> new CellOwner(e.getKey().cx(), e.getKey().cz(), e.getValue()))
                .sorted(Comparator.comparingInt(CellOwner::cz).thenComparingInt(CellOwner::cx))
                .toList();
        return write(rows);
    }

    static CellAssignment assignment(byte[] table, long version) {
        try {
            List<CellOwner> rows = JSON.readValue(table, CELL_LIST);
            Map<CellRef, String> owners = new LinkedHashMap<>();
            for (CellOwner row : rows) {
                owners.put(new CellRef(row.cx(), row.cz()), row.node());
            }
            return new CellAssignment(owners, version);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable cell assignment in the directory", e);
        }
    }

    /** An endpoint as register-node.lua writes it: {"baseUrl": ..., "incarnation": n}. */
    static NodeEndpoint endpoint(String nodeId, byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new NodeEndpoint(nodeId, node.required("baseUrl").asText(), node.required("incarnation").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable endpoint of node " + nodeId + " in the directory", e);
        }
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName() + " in the directory", e);
        }
    }
}
