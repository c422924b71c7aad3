package io.worldmesh.protocol.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a client's text frame into a {@link ClientMessage}, or says precisely what is wrong with it. Pure: no
 * state, safe to share between threads.
 */
public final class ClientMessageDecoder {

    public static final int PROTOCOL_VERSION = 1;
    /** Direction vectors longer than this are not a client rounding error but garbage. */
    private static final double MAX_MOVE_LENGTH = 1e6;
    private static final int MAX_ACTION_FIELDS = 8;
    private static final Pattern ACTION_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(64).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public Decoded decode(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return invalid(ErrorCode.BAD_JSON, "malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return invalid(ErrorCode.BAD_JSON, "a message must be a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            return invalid(ErrorCode.UNKNOWN_TYPE, "missing string field 'type'");
        }
        try {
            return switch (type.textValue()) {
                case "hello" -> hello(root);
                case "input" -> input(root);
                case "ping" -> new Decoded.Ok(new ClientMessage.Ping(integer(root, "id")));
                case "echo" -> new Decoded.Ok(new ClientMessage.Echo(integer(root, "id")));
                default -> invalid(ErrorCode.UNKNOWN_TYPE, "unknown message type '" + clip(type.textValue()) + "'");
            };
        } catch (FieldException e) {
            return invalid(e.code, e.getMessage());
        }
    }

    private Decoded hello(JsonNode root) {
        long version = integer(root, "v");
        String name = text(root, "name");
        if (!PlayerNames.isReadable(name)) {
            throw new FieldException(ErrorCode.BAD_FIELD, PlayerNames.RULE);
        }
        JsonNode resume = root.get("resume");
        if (resume != null && !resume.isNull() && !resume.isTextual()) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'resume' must be a string");
        }
        return new Decoded.Ok(new ClientMessage.Hello(version, name.strip(),
                resume == null || resume.isNull() ? null : resume.textValue()));
    }

    private Decoded input(JsonNode root) {
        long seq = integer(root, "seq");
        if (seq < 1) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'seq' must be >= 1");
        }
        Vec2 move = vector(root, "move", true);
        if (move.length() > MAX_MOVE_LENGTH) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'move' is not a direction");
        }
        double yaw = number(root, "yaw");
        Vec2 pos = vector(root, "pos", false);
        ClientMessage.GameAction action = action(root.get("action"));
        return new Decoded.Ok(new ClientMessage.Input(seq, clampToUnit(move), normaliseAngle(yaw), pos, action));
    }

    /** {@code {"name": "use", "target": "e12", ...}}: a name and at most 8 flat fields. */
    private static ClientMessage.GameAction action(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'action' must be an object {name, ...fields}");
        }
        String name = text(node, "name");
        if (!ACTION_NAME.matcher(name).matches()) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'action.name' must be lower case letters, digits, '_'");
        }
        if (node.size() > MAX_ACTION_FIELDS + 1) {
            throw new FieldException(ErrorCode.BAD_FIELD, "an action has at most " + MAX_ACTION_FIELDS + " fields");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (f.getKey().equals("name")) {
                continue;
            }
            JsonNode v = f.getValue();
            Object value;
            if (v.isTextual() && v.textValue().length() <= 256) {
                value = v.textValue();
            } else if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                value = v.doubleValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else {
                throw new FieldException(ErrorCode.BAD_FIELD,
                        "'action." + clip(f.getKey()) + "' must be a short string, a finite number or a boolean");
            }
            fields.put(f.getKey(), value);
        }
        return new ClientMessage.GameAction(name, Map.copyOf(fields));
    }

    /** Scales a vector longer than 1 down to length 1; a client cannot ask for more than full speed. */
    static Vec2 clampToUnit(Vec2 v) {
        double len = v.length();
        return len > 1 ? new Vec2(v.x() / len, v.z() / len) : v;
    }

    static double normaliseAngle(double a) {
        double r = Math.IEEEremainder(a, 2 * Math.PI);
        return r == -Math.PI ? Math.PI : r;
    }

    private static Vec2 vector(JsonNode root, String field, boolean required) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new FieldException(ErrorCode.MISSING_FIELD, "missing field '" + field + "'");
            }
            return null;
        }
        if (!node.isObject()) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'" + field + "' must be an object {x, z}");
        }
        return new Vec2(number(node, "x", field + ".x"), number(node, "z", field + ".z"));
    }

    private static double number(JsonNode root, String field) {
        return number(root, field, field);
    }

    private static double number(JsonNode root, String field, String path) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new FieldException(ErrorCode.MISSING_FIELD, "missing field '" + path + "'");
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'" + path + "' must be a finite number");
        }
        return node.doubleValue();
    }

    private static long integer(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new FieldException(ErrorCode.MISSING_FIELD, "missing field '" + field + "'");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'" + field + "' must be an integer");
        }
        return node.longValue();
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new FieldException(ErrorCode.MISSING_FIELD, "missing field '" + field + "'");
        }
        if (!node.isTextual()) {
            throw new FieldException(ErrorCode.BAD_FIELD, "'" + field + "' must be a string");
        }
        return node.textValue();
    }

    private static String clip(String s) {
        return s.length() > 32 ? s.substring(0, 32) + "..." : s;
    }

    private static Decoded invalid(ErrorCode code, String message) {
        return new Decoded.Invalid(code, message);
    }

    /** A cheap, stackless signal for a bad field; never escapes this class. */
    private static final class FieldException extends RuntimeException {
        private final ErrorCode code;

        FieldException(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
