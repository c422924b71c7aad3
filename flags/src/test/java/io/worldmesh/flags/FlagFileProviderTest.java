package io.worldmesh.flags;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.worldmesh.flags.FlagFiles.bool;
import static io.worldmesh.flags.FlagFiles.file;
import static io.worldmesh.flags.FlagFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FlagFileProviderTest {

    private static final Duration FAST_POLL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
    private final List<EventDetails> changes = new CopyOnWriteArrayList<>();
    private FlagFileProvider provider;
    private Client client;
    private Path flagFile;

    @AfterEach
    void stop() {
        api.shutdown();
    }

    private Client start(String content) {
        flagFile = dir.resolve("flags.json");
        if (content != null) {
            write(flagFile, content);
        }
        return start(FAST_POLL);
    }

    private Client start(Duration pollInterval) {
        provider = new FlagFileProvider(flagFile, pollInterval);
        api.setProviderAndWait("test", provider);
        client = api.getClient("test");
        client.onProviderConfigurationChanged(changes::add);
        return client;
    }

    private static void assertResolved(FlagEvaluationDetails<?> details, Object value, String variant, Reason reason) {
        assertThat(details.getValue()).isEqualTo(value);
        assertThat(details.getVariant()).isEqualTo(variant);
        assertThat(details.getReason()).isEqualTo(reason.name());
        assertThat(details.getErrorCode()).isNull();
    }

    private static void assertError(FlagEvaluationDetails<?> details, Object callerDefault, ErrorCode code) {
        assertThat(details.getValue()).isEqualTo(callerDefault);
        assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
        assertThat(details.getErrorCode()).isEqualTo(code);
    }

    @Test
    void resolvesEachTypeToItsDefaultVariantStatically() {
        start("""
                {"$schema": "https://flagd.dev/schema/v0/flags.json", "flags": {
                  "cross-node-handover": {"state": "ENABLED", "variants": {"on": true, "off": false},
                                          "defaultVariant": "on"},
                  "greeting": {"state": "ENABLED", "variants": {"short": "hi", "long": "hello"},
                               "defaultVariant": "long"},
                  "max-players": {"state": "ENABLED", "variants": {"small": 8, "large": 64}, "defaultVariant": "large"},
                  "budget": {"state": "ENABLED", "variants": {"tight": 0.5, "loose": 2.5}, "defaultVariant": "tight"},
                  "big": {"state": "ENABLED", "variants": {"huge": 10000000000}, "defaultVariant": "huge"}
                }}
                """);

        assertResolved(client.getBooleanDetails("cross-node-handover", false), true, "on", Reason.STATIC);
        assertResolved(client.getStringDetails("greeting", "x"), "hello", "long", Reason.STATIC);
        assertResolved(client.getIntegerDetails("max-players", 1), 64, "large", Reason.STATIC);
        assertResolved(client.getDoubleDetails("budget", 9.0), 0.5, "tight", Reason.STATIC);
        assertResolved(client.getLongDetails("big", 1L), 10_000_000_000L, "huge", Reason.STATIC);
        assertResolved(client.getDoubleDetails("max-players", 9.0), 64.0, "large", Reason.STATIC);
        assertThat(provider.status().lastOutcome()).isEqualTo(new LoadOutcome.Applied(5,
                List.of("big", "budget", "cross-node-handover", "greeting", "max-players")));
    }

    @Test
    void aDisabledFlagResolvesToTheCallersDefault() {
        start(file(bool("paused", "DISABLED", "on")));

        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("paused", false);

        assertThat(details.getValue()).isFalse();
        assertThat(details.getReason()).isEqualTo(Reason.DISABLED.name());
        assertThat(details.getVariant()).isNull();
        assertThat(details.getErrorCode()).isNull();
    }

    @Test
    void aFlagNotInTheFileIsNotFound() {
        start(file(bool("other", "ENABLED", "on")));

        assertError(client.getBooleanDetails("absent", true), true, ErrorCode.FLAG_NOT_FOUND);
        assertError(client.getObjectDetails("absent", new Value("d")), new Value("d"), ErrorCode.FLAG_NOT_FOUND);
    }

    @Test
    void evaluatingAFlagAsAnotherTypeIsATypeMismatch() {
        start("""
                {"flags": {
                  "b": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"},
                  "d": {"state": "ENABLED", "variants": {"half": 0.5}, "defaultVariant": "half"},
                  "big": {"state": "ENABLED", "variants": {"huge": 10000000000}, "defaultVariant": "huge"},
                  "off": {"state": "DISABLED", "variants": {"on": true}, "defaultVariant": "on"}
                }}
                """);

        assertError(client.getStringDetails("b", "s"), "s", ErrorCode.TYPE_MISMATCH);
        assertError(client.getIntegerDetails("b", 7), 7, ErrorCode.TYPE_MISMATCH);
        assertError(client.getIntegerDetails("d", 7), 7, ErrorCode.TYPE_MISMATCH);
        assertError(client.getLongDetails("d", 7L), 7L, ErrorCode.TYPE_MISMATCH);
        assertError(client.getBooleanDetails("d", true), true, ErrorCode.TYPE_MISMATCH);
        assertError(client.getObjectDetails("b", new Value(1)), new Value(1), ErrorCode.TYPE_MISMATCH);
        // A type error is the caller's mistake whatever the flag's state, so it is reported even when DISABLED.
        assertError(client.getStringDetails("off", "s"), "s", ErrorCode.TYPE_MISMATCH);

        FlagEvaluationDetails<Integer> beyondInt = client.getIntegerDetails("big", 7);
        assertError(beyondInt, 7, ErrorCode.TYPE_MISMATCH);
        assertThat(beyondInt.getErrorMessage()).contains("beyond the int range");
    }

    @Test
    void targetingIsNotEvaluatedAndTheEvaluationSaysSo() {
        try (CapturedLogs logs = new CapturedLogs(FlagFileProvider.class)) {
            start("""
                    {"flags": {
                      "beta": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                               "targeting": {"if": [{"==": [{"var": "region"}, "eu"]}, "on", "off"]}},
                      "color": {"state": "ENABLED", "variants": {"red": "r", "blue": "b"}, "defaultVariant": "blue",
                                "targeting": {"fractional": [["red", 50], ["blue", 50]]}},
                      "plain": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "targeting": {}}
                    }}
                    """);

            FlagEvaluationDetails<Boolean> beta = client.getBooleanDetails("beta", true);
            assertResolved(beta, false, "off", Reason.DEFAULT);
            assertThat(beta.getFlagMetadata().getBoolean(FlagFileProvider.TARGETING_IGNORED)).isTrue();
            assertResolved(client.getStringDetails("color", "x"), "b", "blue", Reason.DEFAULT);
            FlagEvaluationDetails<Boolean> plain = client.getBooleanDetails("plain", false);
            assertResolved(plain, true, "on", Reason.STATIC);
            assertThat(plain.getFlagMetadata().getBoolean(FlagFileProvider.TARGETING_IGNORED)).isNull();

            List<String> targetingWarnings = logs.warnings().stream().filter(w -> w.contains("targeting")).toList();
            assertThat(targetingWarnings).hasSize(2);
            assertThat(targetingWarnings).anyMatch(w -> w.contains("'beta'")).anyMatch(w -> w.contains("'color'"));
        }
    }

    @Test
    void aChangedFileIsAppliedAndAnnouncedWithTheKeysThatChanged() {
        start(file(bool("a", "ENABLED", "on"), bool("b", "ENABLED", "on"), bool("c", "ENABLED", "on")));

        write(flagFile, file(bool("a", "ENABLED", "on"), bool("b", "ENABLED", "off"), bool("d", "ENABLED", "on")));

        await().until(() -> !client.getBooleanValue("b", true));
        await().until(() -> !changes.isEmpty());
        assertThat(changes).singleElement().satisfies(event ->
                assertThat(event.getFlagsChanged()).containsExactly("b", "c", "d"));
        assertError(client.getBooleanDetails("c", true), true, ErrorCode.FLAG_NOT_FOUND);
        assertThat(client.getBooleanValue("d", false)).isTrue();
    }

    @Test
    void aMalformedOrInvalidFileKeepsTheLastGoodConfiguration() {
        try (CapturedLogs logs = new CapturedLogs(FlagFileProvider.class)) {
            start(file(bool("a", "ENABLED", "on"), bool("b", "ENABLED", "on")));

            write(flagFile, "{\"flags\": {\"a\": ");
            await().until(() -> provider.status().refusedInvalid() == 1);
            assertThat(client.getBooleanValue("a", false)).isTrue();
            assertThat(logs.warnings()).anyMatch(w -> w.contains("keeping the flags last loaded")
                    && w.contains("not valid JSON"));

            // a's change is valid, b's is not: neither applies.
            write(flagFile, file(bool("a", "ENABLED", "off"), bool("b", "ENABLED", "maybe")));
            await().until(() -> provider.status().refusedInvalid() == 2);
            assertThat(client.getBooleanValue("a", true)).isTrue();
            assertThat(client.getBooleanValue("b", false)).isTrue();
            assertThat(provider.status().lastOutcome()).isEqualTo(new LoadOutcome.Invalid(
                    "flag 'b': \"defaultVariant\" is 'maybe', which is not one of its variants [on, off]"));

            write(flagFile, file(bool("a", "ENABLED", "off"), bool("b", "ENABLED", "on")));
            await().until(() -> !client.getBooleanValue("a", true));
            assertThat(provider.status().applied()).isEqualTo(2);
            // Refused versions announced nothing; the good one announced only its change.
            await().until(() -> !changes.isEmpty());
            assertThat(changes).singleElement().satisfies(event ->
                    assertThat(event.getFlagsChanged()).containsExactly("a"));
        }
    }

    @Test
    void aFileAboveOneMebibyteIsRefusedOnceAndOneOfExactlyOneMebibyteIsApplied() {
        try (CapturedLogs logs = new CapturedLogs(FlagFileProvider.class)) {
            start(FlagFiles.handover("on"));

            write(flagFile, FlagFiles.paddedTo(FlagFiles.handover("off"), FlagFileProvider.MAX_FILE_BYTES + 1));
            await().until(() -> provider.status().refusedTooLarge() == 1);
            long checksAtRefusal = provider.status().checks();
            await().until(() -> provider.status().checks() >= checksAtRefusal + 3);

            assertThat(client.getBooleanValue(WorldmeshFlags.CROSS_NODE_HANDOVER, false)).isTrue();
            assertThat(provider.status().refusedTooLarge()).isEqualTo(1);
            assertThat(provider.status().lastOutcome())
                    .isEqualTo(new LoadOutcome.TooLarge(FlagFileProvider.MAX_FILE_BYTES + 1));
            assertThat(logs.warnings()).filteredOn(w -> w.contains("-byte bound")).hasSize(1);

            write(flagFile, FlagFiles.paddedTo(FlagFiles.handover("off"), FlagFileProvider.MAX_FILE_BYTES));
            await().until(() -> !client.getBooleanValue(WorldmeshFlags.CROSS_NODE_HANDOVER, true));
            assertThat(provider.status().refusedTooLarge()).isEqualTo(1);
        }
    }

    @Test
    void aMissingFileResolvesEveryFlagToItsDefaultUntilItAppears() {
        start((String) null);

        assertError(client.getBooleanDetails("a", false), false, ErrorCode.FLAG_NOT_FOUND);
        assertError(client.getStringDetails("s", "x"), "x", ErrorCode.FLAG_NOT_FOUND);
        assertThat(provider.status().lastOutcome()).isEqualTo(new LoadOutcome.Missing());

        write(flagFile, file(bool("a", "ENABLED", "on")));

        await().until(() -> client.getBooleanValue("a", false));
        assertResolved(client.getBooleanDetails("a", false), true, "on", Reason.STATIC);
        assertError(client.getStringDetails("s", "x"), "x", ErrorCode.FLAG_NOT_FOUND);
        await().until(() -> !changes.isEmpty());
        assertThat(changes.getFirst().getFlagsChanged()).containsExactly("a");
    }

    @Test
    void aFileRefusedAtStartIsAParseErrorUntilItIsFixed() {
        start("{not json");

        FlagEvaluationDetails<Boolean> details = client.getBooleanDetails("a", false);
        assertError(details, false, ErrorCode.PARSE_ERROR);
        assertThat(details.getErrorMessage()).contains("not valid JSON");

        write(flagFile, file(bool("a", "ENABLED", "on")));
        await().until(() -> client.getBooleanValue("a", false));
    }

    @Test
    void aDeletedFileKeepsTheLastGoodConfiguration() throws Exception {
        start(file(bool("a", "ENABLED", "off")));

        Files.delete(flagFile);

        await().until(() -> provider.status().lastOutcome() instanceof LoadOutcome.Missing);
        assertResolved(client.getBooleanDetails("a", true), false, "off", Reason.STATIC);
    }

    @Test
    void evaluationsDoNotReadTheFile() {
        flagFile = dir.resolve("flags.json");
        write(flagFile, FlagFiles.handover("on"));
        start(Duration.ofHours(1));

        for (int i = 0; i < 10_000; i++) {
            assertThat(client.getBooleanValue(WorldmeshFlags.CROSS_NODE_HANDOVER, false)).isTrue();
        }

        assertThat(provider.status().checks()).isEqualTo(1);
    }

    @Test
    void shutdownStopsThePollThread() {
        start(FlagFiles.handover("on"));
        String threadName = "worldmesh-flags-poll " + flagFile;
        assertThat(threadsNamed(threadName)).isNotEmpty();

        provider.shutdown();

        await().until(() -> threadsNamed(threadName).isEmpty());
    }

    @Test
    void refusesANonPositivePollInterval() {
        Path path = dir.resolve("flags.json");
        assertThatThrownBy(() -> new FlagFileProvider(path, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FlagFileProvider(path, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Thread> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name) && thread.isAlive())
                .toList();
    }
}
