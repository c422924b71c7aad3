package io.worldmesh.flags;

import dev.openfeature.sdk.OpenFeatureAPI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.worldmesh.flags.FlagFiles.bool;
import static io.worldmesh.flags.FlagFiles.file;
import static io.worldmesh.flags.FlagFiles.handover;
import static io.worldmesh.flags.FlagFiles.write;
import static io.worldmesh.flags.WorldmeshFlags.CROSS_NODE_HANDOVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorldmeshFlagsTest {

    private static final Duration FAST_POLL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private final List<BooleanFlagChange> seen = new CopyOnWriteArrayList<>();
    private WorldmeshFlags flags;

    @AfterEach
    void close() {
        if (flags != null) {
            flags.close();
        }
    }

    private Path flagFile() {
        return dir.resolve("flags.json");
    }

    private WorldmeshFlags fromFile(String content) {
        if (content != null) {
            write(flagFile(), content);
        }
        flags = WorldmeshFlags.fromFile(flagFile(), FAST_POLL);
        return flags;
    }

    @Test
    void anOperatorFlipsCrossNodeHandoverOffAndOnWhileItRuns() {
        fromFile(handover("on"));
        flags.onCrossNodeHandoverChange(seen::add);
        assertThat(flags.crossNodeHandover()).isTrue();

        write(flagFile(), handover("off"));
        await().until(() -> !flags.crossNodeHandover());
        await().until(() -> seen.size() == 1);
        assertThat(seen.getFirst()).isEqualTo(new BooleanFlagChange(CROSS_NODE_HANDOVER, true, false));
        assertThat(seen.getFirst().turnedOff()).isTrue();

        write(flagFile(), handover("on"));
        await().until(flags::crossNodeHandover);
        await().until(() -> seen.size() == 2);
        assertThat(seen.get(1)).isEqualTo(new BooleanFlagChange(CROSS_NODE_HANDOVER, false, true));
        assertThat(seen.get(1).turnedOn()).isTrue();
    }

    @Test
    void crossNodeHandoverIsOnWhenTheFlagCannotBeResolved() {
        fromFile(null);
        assertThat(flags.crossNodeHandover()).as("no file").isTrue();
        flags.close();

        fromFile(file(bool("other", "ENABLED", "off")));
        assertThat(flags.crossNodeHandover()).as("flag absent").isTrue();
        flags.close();

        // DISABLED means "not managed by the file": the built-in default applies, which is on.
        fromFile(file(bool(CROSS_NODE_HANDOVER, "DISABLED", "off")));
        assertThat(flags.crossNodeHandover()).as("flag disabled").isTrue();
        flags.close();

        fromFile("{\"flags\": {\"" + CROSS_NODE_HANDOVER + "\": "
                + "{\"state\": \"ENABLED\", \"variants\": {\"yes\": \"y\"}, \"defaultVariant\": \"yes\"}}}");
        assertThat(flags.crossNodeHandover()).as("flag not boolean").isTrue();
    }

    @Test
    void aFlagFileCreatedLaterTurnsItOffAndTellsListeners() {
        fromFile(null);
        flags.onCrossNodeHandoverChange(seen::add);

        write(flagFile(), handover("off"));

        await().until(() -> !flags.crossNodeHandover());
        await().until(() -> seen.size() == 1);
        assertThat(seen).containsExactly(new BooleanFlagChange(CROSS_NODE_HANDOVER, true, false));
    }

    @Test
    void listenersHearOnlyChangesOfTheirFlagsValue() {
        write(flagFile(), file(bool(CROSS_NODE_HANDOVER, "ENABLED", "on"), bool("other", "ENABLED", "on")));
        OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
        FlagFileProvider provider = new FlagFileProvider(flagFile(), FAST_POLL);
        try {
            api.setProviderAndWait("mine", provider);
            WorldmeshFlags mine = WorldmeshFlags.fromClient(api.getClient("mine"));
            mine.onCrossNodeHandoverChange(seen::add);

            write(flagFile(), file(bool(CROSS_NODE_HANDOVER, "ENABLED", "on"), bool("other", "ENABLED", "off")));
            await().until(() -> provider.status().applied() == 2);
            // Redefined with the same value: the variants changed, what it resolves to did not.
            write(flagFile(), file("\"" + CROSS_NODE_HANDOVER + "\": {\"state\": \"ENABLED\", "
                    + "\"variants\": {\"yes\": true, \"no\": false}, \"defaultVariant\": \"yes\"}",
                    bool("other", "ENABLED", "off")));
            await().until(() -> provider.status().applied() == 3);
            write(flagFile(), file(bool(CROSS_NODE_HANDOVER, "ENABLED", "off"), bool("other", "ENABLED", "off")));

            await().until(() -> !mine.crossNodeHandover());
            await().until(() -> !seen.isEmpty());
            assertThat(seen).containsExactly(new BooleanFlagChange(CROSS_NODE_HANDOVER, true, false));
            mine.close();
        } finally {
            api.shutdown();
        }
    }

    @Test
    void aCancelledOrFailingListenerDoesNotStopTheOthers() {
        fromFile(handover("on"));
        List<BooleanFlagChange> cancelled = new CopyOnWriteArrayList<>();
        flags.onCrossNodeHandoverChange(change -> {
            throw new IllegalStateException("listener bug");
        });
        Subscription subscription = flags.onCrossNodeHandoverChange(cancelled::add);
        flags.onCrossNodeHandoverChange(seen::add);
        subscription.cancel();

        write(flagFile(), handover("off"));

        await().until(() -> seen.size() == 1);
        assertThat(cancelled).isEmpty();
    }

    @Test
    void closingStopsThePollThreadAndFallsBackToTheDefault() {
        fromFile(handover("off"));
        String pollThread = "worldmesh-flags-poll " + flagFile();
        assertThat(flags.crossNodeHandover()).isFalse();
        assertThat(threadsNamed(pollThread)).isNotEmpty();

        flags.close();

        await().until(() -> threadsNamed(pollThread).isEmpty());
        assertThat(flags.crossNodeHandover()).isTrue();
    }

    @Test
    void fixedFlagsNeverChange() {
        WorldmeshFlags off = WorldmeshFlags.fixed(false);
        WorldmeshFlags on = WorldmeshFlags.fixed(true);

        assertThat(off.crossNodeHandover()).isFalse();
        assertThat(on.crossNodeHandover()).isTrue();
        assertThat(off.onCrossNodeHandoverChange(seen::add)).isSameAs(Subscription.NONE);
        off.close();
        assertThat(off.crossNodeHandover()).isFalse();
    }

    @Test
    void aClientConfiguredByTheCallerStaysTheCallersAfterClose() {
        write(flagFile(), handover("off"));
        OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
        FlagFileProvider provider = new FlagFileProvider(flagFile(), FAST_POLL);
        try {
            api.setProviderAndWait("mine", provider);
            WorldmeshFlags mine = WorldmeshFlags.fromClient(api.getClient("mine"));
            mine.onCrossNodeHandoverChange(seen::add);
            assertThat(mine.crossNodeHandover()).isFalse();

            mine.close();
            long checks = provider.status().checks();
            write(flagFile(), handover("on"));

            await().until(() -> provider.status().checks() > checks + 2);
            assertThat(mine.crossNodeHandover()).isTrue();
            assertThat(seen).isEmpty();
        } finally {
            api.shutdown();
        }
    }

    private static List<Thread> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name) && thread.isAlive())
                .toList();
    }
}
