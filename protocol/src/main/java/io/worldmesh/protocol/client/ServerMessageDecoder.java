package io.worldmesh.protocol.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.worldmesh.protocol.link.WorldInfo;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Decodes server messages for Java clients (bots, tests, benchmarks). Strict: a malformed message is empty. */
public final class ServerMessageDecoder {

    /** Snapshots are most of the traffic; the server writes them with this prefix, so they take the fast path. */
    private static final String SNAPSHOT_PREFIX = "{\"type\":\"snapshot\"";

    private final ObjectMapper mapper = new ObjectMapper();

    public Optional<ServerMessage> decode(String text) {
        if (text.startsWith(SNAPSHOT_PREFIX)) {
            return streamSnapshot(text);
        }
        try {
            JsonNode n = mapper.readTree(text);
            if (n == null || !n.isObject()) {
                return Optional.empty();
            }
            return Optional.ofNullable(switch (n.path("type").asText("")) {
                case "welcome" -> welcome(n);
                case "snapshot" -> snapshot(n);
                case "cell_change" -> new ServerMessage.CellChange(n.path("tick").asLong(),
                        n.path("from").path("cx").asInt(), n.path("from").path("cz").asInt(),
                        n.path("to").path("cx").asInt(), n.path("to").path("cz").asInt(),
                        n.path("node").asText(), n.path("handover").asText());
                case "recovered" -> new ServerMessage.Recovered(n.path("tick").asLong(), n.path("from_tick").asLong(),
                        n.path("ticks_lost").asLong(), n.path("last_applied_seq").asLong(), n.path("node").asText());
                case "game_event" -> gameEvent(n);
                case "error" -> new ServerMessage.Error(n.path("code").asText(), n.path("message").asText());
                case "pong" -> new ServerMessage.Pong(n.path("id").asLong());
                case "echo" -> new ServerMessage.Echo(n.path("id").asLong());
                default -> null;
            });
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static ServerMessage.GameEvent gameEvent(JsonNode n) {
        Map<String, Object> data = new LinkedHashMap<>();
        n.path("data").properties().forEach(e -> {
            JsonNode v = e.getValue();
            data.put(e.getKey(), v.isIntegralNumber() ? (Object) v.longValue() : v.isNumber() ? (Object) v.doubleValue()
                    : v.isBoolean() ? (Object) v.booleanValue() : v.asText());
        });
        return new ServerMessage.GameEvent(n.path("tick").asLong(), n.path("name").asText(), data);
    }

    private static ServerMessage.Welcome welcome(JsonNode n) {
        JsonNode w = n.path("world");
        return new ServerMessage.Welcome(n.path("player_id").asText(), n.path("resume_token").asText(),
                n.path("resumed").asBoolean(), n.path("last_applied_seq").asLong(),
                new WorldInfo(n.path("node").asText(), n.path("game").asText(), n.path("tick_rate").asInt(),
                        w.path("cells_x").asInt(), w.path("cells_z").asInt(), w.path("cell_size").asDouble(),
                        w.path("max_speed").asDouble(), actions(n.path("actions"))));
    }

    private static Map<String, Map<String, String>> actions(JsonNode list) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (JsonNode a : list) {
            Map<String, String> fields = new LinkedHashMap<>();
            a.path("fields").properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText()));
            out.put(a.path("name").asText(), fields);
        }
        return out;
    }

    private static ServerMessage.Snapshot snapshot(JsonNode n) {
        JsonNode you = n.path("you");
        Map<String, Object> hud = new LinkedHashMap<>();
        n.path("hud").properties().forEach(e ->
                hud.put(e.getKey(), e.getValue().isNumber() ? (Object) e.getValue().longValue() : e.getValue().asText()));
        return new ServerMessage.Snapshot(n.path("tick").asLong(), n.path("last_applied_seq").asLong(),
                n.path("applied").asLong(), n.path("node").asText(), you.path("id").asText(),
                you.path("x").asDouble(), you.path("z").asDouble(),
                you.path("cell").path("cx").asInt(), you.path("cell").path("cz").asInt(),
                hud, n.path("entities").size());
    }

    /** Reads a snapshot without building a tree of its entities, which it only counts. */
    private Optional<ServerMessage> streamSnapshot(String text) {
        long tick = 0, seq = 0, applied = 0;
        String node = "", id = "";
        double x = 0, z = 0;
        int cx = 0, cz = 0, entities = 0;
        Map<String, Object> hud = new LinkedHashMap<>();
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "tick" -> tick = p.getLongValue();
                    case "last_applied_seq" -> seq = p.getLongValue();
                    case "applied" -> applied = p.getLongValue();
                    case "node" -> node = p.getText();
                    case "you" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
                            switch (f) {
                                case "id" -> id = p.getText();
                                case "x" -> x = p.getDoubleValue();
                                case "z" -> z = p.getDoubleValue();
                                case "cell" -> {
                                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                                        String c = p.currentName();
                                        p.nextToken();
                                        if (c.equals("cx")) cx = p.getIntValue();
                                        else if (c.equals("cz")) cz = p.getIntValue();
                                    }
                                }
                                default -> p.skipChildren();
                            }
                        }
                    }
                    case "hud" -> {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken t = p.nextToken();
                            hud.put(f, t.isNumeric() ? (Object) p.getLongValue() : p.getText());
                        }
                    }
                    case "entities" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            entities++;
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new ServerMessage.Snapshot(tick, seq, applied, node, id, x, z, cx, cz, hud, entities));
    }
}
