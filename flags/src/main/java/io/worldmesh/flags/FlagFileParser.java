package io.worldmesh.flags;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses flagd's flag-definition format (https://flagd.dev/reference/flag-definitions/), the subset this module
 * evaluates: boolean, string, integer and double flags with {@code state}, {@code variants} and
 * {@code defaultVariant}. {@code targeting} is accepted but not evaluated. Top-level {@code $schema},
 * {@code $evaluators} and {@code metadata}, and a flag's {@code metadata}, are accepted and ignored.
 *
 * <p>Anything else is refused as a whole, with a reason: a file applies entirely or not at all. Unknown fields are
 * refused too, so that a misspelt field is an error rather than a silently ignored setting. Duplicate keys are
 * refused, since JSON parsers disagree on which one wins.
 */
public final class FlagFileParser {

    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("$schema", "$evaluators", "metadata", "flags");
    private static final Set<String> FLAG_FIELDS = Set.of("state", "variants", "defaultVariant", "targeting",
            "metadata");

    private final ObjectReader reader = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    public ParseResult parse(byte[] json) {
        JsonNode root;
        try {
            root = reader.readTree(json);
        } catch (JacksonException e) {
            return new ParseResult.Invalid("not valid JSON: " + e.getOriginalMessage() + at(e.getLocation()));
        } catch (IOException e) {
            return new ParseResult.Invalid("not valid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return new ParseResult.Invalid("the file is empty");
        }
        try {
            return new ParseResult.Parsed(flagSet(root));
        } catch (InvalidDefinition e) {
            return new ParseResult.Invalid(e.getMessage());
        }
    }

    private static FlagSet flagSet(JsonNode root) {
        if (!root.isObject()) {
            throw new InvalidDefinition("the top level must be a JSON object with a \"flags\" object");
        }
        refuseUnknownFields(root, TOP_LEVEL_FIELDS, "the top level");
        JsonNode flagsNode = root.get("flags");
        if (flagsNode == null || !flagsNode.isObject()) {
            throw new InvalidDefinition("\"flags\" must be present and be an object");
        }
        Map<String, FlagDefinition> flags = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : flagsNode.properties()) {
            flags.put(entry.getKey(), flag(entry.getKey(), entry.getValue()));
        }
        return new FlagSet(flags);
    }

    private static FlagDefinition flag(String key, JsonNode node) {
        String where = "flag '" + key + "'";
        if (!node.isObject()) {
            throw new InvalidDefinition(where + " must be an object");
        }
        refuseUnknownFields(node, FLAG_FIELDS, where);
        FlagState state = state(where, node.get("state"));

        JsonNode variantsNode = node.get("variants");
        if (variantsNode == null || !variantsNode.isObject() || variantsNode.isEmpty()) {
            throw new InvalidDefinition(where + ": \"variants\" must be a non-empty object");
        }
        VariantType type = null;
        for (Map.Entry<String, JsonNode> variant : variantsNode.properties()) {
            VariantType found = typeOf(where, variant.getKey(), variant.getValue());
            type = type == null ? found : common(where, type, found);
        }
        Map<String, Object> variants = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> variant : variantsNode.properties()) {
            variants.put(variant.getKey(), value(type, variant.getValue()));
        }

        JsonNode defaultNode = node.get("defaultVariant");
        if (defaultNode == null || !defaultNode.isTextual()) {
            throw new InvalidDefinition(where + ": \"defaultVariant\" must be the name of one of its variants");
        }
        String defaultVariant = defaultNode.textValue();
        if (!variants.containsKey(defaultVariant)) {
            throw new InvalidDefinition(where + ": \"defaultVariant\" is '" + defaultVariant
                    + "', which is not one of its variants " + variants.keySet());
        }
        return new FlagDefinition(key, state, type, variants, defaultVariant, hasTargeting(node.get("targeting")));
    }

    private static FlagState state(String where, JsonNode node) {
        if (node != null && node.isTextual()) {
            for (FlagState state : FlagState.values()) {
                if (state.name().equals(node.textValue())) {
                    return state;
                }
            }
        }
        throw new InvalidDefinition(where + ": \"state\" must be \"ENABLED\" or \"DISABLED\", was "
                + (node == null ? "missing" : node.toString()));
    }

    private static VariantType typeOf(String where, String variant, JsonNode value) {
        if (value.isBoolean()) {
            return VariantType.BOOLEAN;
        }
        if (value.isTextual()) {
            return VariantType.STRING;
        }
        if (value.isIntegralNumber()) {
            if (!value.canConvertToLong()) {
                throw new InvalidDefinition(where + ": variant '" + variant + "' is beyond the 64-bit integer range");
            }
            return VariantType.INTEGER;
        }
        if (value.isFloatingPointNumber()) {
            if (!Double.isFinite(value.doubleValue())) {
                throw new InvalidDefinition(where + ": variant '" + variant + "' is beyond the double range");
            }
            return VariantType.DOUBLE;
        }
        throw new InvalidDefinition(where + ": variant '" + variant + "' is " + value.getNodeType().name()
                .toLowerCase(Locale.ROOT) + "; only boolean, string, integer and double variants are supported");
    }

    private static VariantType common(String where, VariantType a, VariantType b) {
        if (a == b) {
            return a;
        }
        boolean numbers = (a == VariantType.INTEGER || a == VariantType.DOUBLE)
                && (b == VariantType.INTEGER || b == VariantType.DOUBLE);
        if (numbers) {
            return VariantType.DOUBLE;
        }
        throw new InvalidDefinition(where + ": variants mix " + a.label() + " and " + b.label()
                + " values; all variants of a flag must hold the same type");
    }

    private static Object value(VariantType type, JsonNode value) {
        return switch (type) {
            case BOOLEAN -> value.booleanValue();
            case STRING -> value.textValue();
            case INTEGER -> value.longValue();
            case DOUBLE -> value.doubleValue();
        };
    }

    /** flagd treats an absent, null or empty targeting as "no targeting". */
    private static boolean hasTargeting(JsonNode targeting) {
        return targeting != null && !targeting.isNull() && !(targeting.isObject() && targeting.isEmpty());
    }

    private static void refuseUnknownFields(JsonNode node, Set<String> known, String where) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!known.contains(name)) {
                throw new InvalidDefinition(where + " has an unknown field \"" + name + "\"; known fields are "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Unwinds the recursive descent to {@link #parse} with a reason; never escapes this class. */
    private static final class InvalidDefinition extends RuntimeException {
        InvalidDefinition(String reason) {
            super(reason, null, false, false);
        }
    }
}
