package io.worldmesh.directory.redis;

import io.lettuce.core.StreamMessage;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.directory.OwnershipChange;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads the audit stream's entries, which the scripts write with the fields {@code player}, {@code from_node},
 * {@code from_epoch}, {@code to_node}, {@code to_epoch} and {@code token}; an empty node means no record (a new
 * player, or one that left).
 */
final class AuditEntries {

    private AuditEntries() {
    }

    static OwnershipChange change(StreamMessage<String, byte[]> entry) {
        Map<String, byte[]> body = entry.getBody();
        return new OwnershipChange(text(body, "player"), record(body, "from_node", "from_epoch"),
                record(body, "to_node", "to_epoch"), text(body, "token"));
    }

    private static OwnerRecord record(Map<String, byte[]> body, String nodeField, String epochField) {
        String node = text(body, nodeField);
        return node.isEmpty() ? null : new OwnerRecord(node, Long.parseLong(text(body, epochField)));
    }

    private static String text(Map<String, byte[]> body, String field) {
        byte[] value = body.get(field);
        if (value == null) {
            throw new IllegalStateException("audit entry without " + field + ": " + body.keySet());
        }
        return new String(value, StandardCharsets.UTF_8);
    }
}
