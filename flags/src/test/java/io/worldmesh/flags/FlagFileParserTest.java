package io.worldmesh.flags;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class FlagFileParserTest {

    private final FlagFileParser parser = new FlagFileParser();

    private ParseResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private FlagSet parsed(String json) {
        ParseResult result = parse(json);
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).flags();
    }

    @Test
    void parsesEachVariantTypeWithStateAndDefaultVariant() {
        FlagSet flags = parsed("""
                {"flags": {
                  "b": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},
                  "s": {"state": "DISABLED", "variants": {"red": "#f00", "blue": "#00f"}, "defaultVariant": "red"},
                  "i": {"state": "ENABLED", "variants": {"few": 3, "many": 10000000000}, "defaultVariant": "many"},
                  "d": {"state": "ENABLED", "variants": {"low": 0.25, "high": 1e3}, "defaultVariant": "low"}
                }}
                """);
        assertThat(flags.flags().get("b")).isEqualTo(new FlagDefinition("b", FlagState.ENABLED, VariantType.BOOLEAN,
                Map.of("on", true, "off", false), "off", false));
        assertThat(flags.flags().get("s")).isEqualTo(new FlagDefinition("s", FlagState.DISABLED, VariantType.STRING,
                Map.of("red", "#f00", "blue", "#00f"), "red", false));
        assertThat(flags.flags().get("i")).isEqualTo(new FlagDefinition("i", FlagState.ENABLED, VariantType.INTEGER,
                Map.of("few", 3L, "many", 10_000_000_000L), "many", false));
        assertThat(flags.flags().get("d")).isEqualTo(new FlagDefinition("d", FlagState.ENABLED, VariantType.DOUBLE,
                Map.of("low", 0.25, "high", 1000.0), "low", false));
    }

    @Test
    void integersMixedWithDoublesMakeADoubleFlag() {
        FlagDefinition flag = parsed("""
                {"flags": {"ratio": {"state": "ENABLED", "variants": {"none": 0, "half": 0.5},
                                     "defaultVariant": "none"}}}
                """).flags().get("ratio");
        assertThat(flag.type()).isEqualTo(VariantType.DOUBLE);
        assertThat(flag.defaultValue()).isEqualTo(0.0);
    }

    @Test
    void acceptsAndIgnoresFlagdFieldsItDoesNotEvaluate() {
        FlagSet flags = parsed("""
                {"$schema": "https://flagd.dev/schema/v0/flags.json",
                 "$evaluators": {"emailWithFaas": {"in": ["@faas.com", {"var": ["email"]}]}},
                 "metadata": {"version": "7"},
                 "flags": {
                   "plain": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on",
                             "targeting": {}, "metadata": {"owner": "ops"}},
                   "nulled": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "targeting": null},
                   "targeted": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                                "targeting": {"if": [{"$ref": "emailWithFaas"}, "on", null]}}
                 }}
                """);
        assertThat(flags.flags().get("plain").targetingIgnored()).isFalse();
        assertThat(flags.flags().get("nulled").targetingIgnored()).isFalse();
        assertThat(flags.flags().get("targeted").targetingIgnored()).isTrue();
        assertThat(flags.flags().get("targeted").defaultValue()).isEqualTo(false);
    }

    @Test
    void anEmptyFlagsObjectIsAValidFileWithNoFlags() {
        assertThat(parsed("{\"flags\": {}}")).isEqualTo(FlagSet.EMPTY);
    }

    /** JSON written with single quotes, to keep the cases readable. */
    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A file with one flag {@code f} defined by {@code body}. */
    private static String flagF(String body) {
        return json("{'flags': {'f': " + body + "}}");
    }

    static Stream<Arguments> refusedFiles() {
        return Stream.of(
                arguments("", "the file is empty"),
                arguments("   ", "the file is empty"),
                arguments(json("{'flags': "), "not valid JSON"),
                arguments(json("{'flags': {}} trailing"), "not valid JSON"),
                arguments("[]", "the top level must be a JSON object"),
                arguments("{}", "\"flags\" must be present"),
                arguments(json("{'flags': []}"), "\"flags\" must be present"),
                arguments(json("{'flag': {}, 'flags': {}}"), "unknown field \"flag\""),
                arguments(flagF("true"), "flag 'f' must be an object"),
                arguments(flagF("{'variants': {'on': true}, 'defaultVariant': 'on'}"),
                        "\"state\" must be \"ENABLED\" or \"DISABLED\", was missing"),
                arguments(flagF("{'state': 'ON', 'variants': {'on': true}, 'defaultVariant': 'on'}"),
                        "\"state\" must be \"ENABLED\" or \"DISABLED\", was \"ON\""),
                arguments(flagF("{'state': 'ENABLED', 'defaultVariant': 'on'}"),
                        "\"variants\" must be a non-empty object"),
                arguments(flagF("{'state': 'ENABLED', 'variants': {}, 'defaultVariant': 'on'}"),
                        "\"variants\" must be a non-empty object"),
                arguments(flagF("{'state': 'ENABLED', 'variants': {'on': true}}"),
                        "\"defaultVariant\" must be the name of one of its variants"),
                arguments(flagF("{'state': 'ENABLED', 'variants': {'on': true}, 'defaultVariant': 'yes'}"),
                        "\"defaultVariant\" is 'yes', which is not one of its variants [on]"),
                arguments(flagF("{'state': 'ENABLED', 'variants': {'on': true, 'x': 's'}, 'defaultVariant': 'on'}"),
                        "variants mix boolean and string values"),
                arguments(flagF("{'state': 'ENABLED', 'variants': {'o': {'a': 1}}, 'defaultVariant': 'o'}"),
                        "variant 'o' is object; only boolean, string, integer and double variants are supported"),
                arguments(flagF("{'state': 'ENABLED', 'variants': {'n': null}, 'defaultVariant': 'n'}"),
                        "variant 'n' is null"),
                arguments(flagF("{'state': 'ENABLED', 'variants': {'n': 123456789012345678901234}, "
                        + "'defaultVariant': 'n'}"), "beyond the 64-bit integer range"),
                arguments(flagF("{'state': 'ENABLED', 'variants': {'on': true}, 'defaultvariant': 'on'}"),
                        "flag 'f' has an unknown field \"defaultvariant\""),
                arguments(json("{'flags': {'f': {'state': 'ENABLED', 'variants': {'on': true}, "
                        + "'defaultVariant': 'on'}, 'f': {}}}"), "Duplicate field 'f'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusedFiles")
    void refusesAFileAsAWholeAndSaysWhy(String file, String reason) {
        ParseResult result = parse(file);
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        assertThat(((ParseResult.Invalid) result).reason()).contains(reason);
    }

    @Test
    void oneBadFlagRefusesTheGoodOnesWithIt() {
        ParseResult result = parse("""
                {"flags": {
                  "good": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},
                  "bad": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "maybe"}
                }}
                """);
        assertThat(result).isEqualTo(new ParseResult.Invalid(
                "flag 'bad': \"defaultVariant\" is 'maybe', which is not one of its variants [on, off]"));
    }

    @Test
    void theExampleFlagFileTurnsCrossNodeHandoverOn() throws IOException {
        // Surefire runs in the module directory; the example lives at the repository root.
        byte[] example = Files.readAllBytes(Path.of("..", "config", "flags.json"));
        FlagDefinition handover = ((ParseResult.Parsed) parser.parse(example)).flags().flags()
                .get(WorldmeshFlags.CROSS_NODE_HANDOVER);
        assertThat(handover.state()).isEqualTo(FlagState.ENABLED);
        assertThat(handover.defaultVariant()).isEqualTo("on");
        assertThat(handover.defaultValue()).isEqualTo(true);
        assertThat(handover.targetingIgnored()).isFalse();
    }
}
