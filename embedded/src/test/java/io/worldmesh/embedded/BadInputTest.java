package io.worldmesh.embedded;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.worldmesh.engine.World;
import io.worldmesh.engine.WorldSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What the gateway does with bad client input, against docs/protocol.md: each case checks the exact error code
 * (or close code) the misbehaving client gets, that its player's state on the server did not change, and that a
 * well-behaved {@link Bystander} connected meanwhile is still served.
 */
class BadInputTest {

    /** A player's authoritative state, read on the simulation thread between ticks. */
    record State(long tick, double x, double z, long lastAppliedSeq, long applied, boolean connected) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The default world's max speed (8 m/s) at 20 ticks a second. */
    private static final double MAX_STEP_M = 8.0 / 20;

    @RegisterExtension
    static final ServedWorld served = new ServedWorld(EmbeddedWorld.Config::forTests);

    private static EmbeddedWorld world;
    /** Clients get their own Vert.x, so that closing one side never takes the other with it. */
    private static Vertx clients;
    private static Bystander bystander;

    private final List<RawClient> opened = new ArrayList<>();

    @BeforeAll
    static void aliases() {
        world = served.world();
        clients = served.clients();
        bystander = served.bystander();
    }

    @AfterEach
    void closeWhatTheTestOpened() {
        opened.forEach(RawClient::close);
        assertThat(state(world, bystander.playerId()).connected()).as("bystander's player connected").isTrue();
    }

    // 1. Malformed JSON

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":", "not json", "[]", "42", "\"hello\"", "null", ""})
    void malformedJsonIsRefusedAndTheConnectionStaysOpen(String frame) {
        RawClient c = joined("json");
        // exchange() ends with a ping answered by a pong: the connection is still open and serving.
        assertRefusedWithoutEffect(c, frame, "bad_json");
        assertThat(c.isClosed()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"ping\",\"id\":7} x", "{\"type\":\"ping\",\"id\":7}{\"type\":\"ping\",\"id\":8}",
            "{\"type\":\"ping\",\"id\":7}]"})
    void trailingDataAfterTheObjectIsBadJson(String frame) {
        // docs/protocol.md: one frame holds one JSON object; anything after it makes the frame "not a JSON object".
        assertRefusedWithoutEffect(joined("trailing"), frame, "bad_json");
    }

    // 2. Unknown type

    @ParameterizedTest
    @ValueSource(strings = {"{\"type\":\"jump\"}", "{\"type\":\"INPUT\",\"seq\":1}", "{\"id\":1}", "{}",
            "{\"type\":5}", "{\"type\":null}", "{\"type\":{\"name\":\"ping\"}}"})
    void unknownOrMissingTypeIsRefused(String frame) {
        assertRefusedWithoutEffect(joined("type"), frame, "unknown_type");
    }

    // 3. Missing and bad fields

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"input\",\"move\":{\"x\":1,\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":null,\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0}}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"z\":1},\"yaw\":0}",
            "{\"type\":\"ping\"}"})
    void missingFieldIsRefusedAndTheSeqIsNotUsedUp(String frame) {
        RawClient c = joined("missing");
        assertRefusedWithoutEffect(c, frame, "missing_field");
        assertSeqOneStillAccepted(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"input\",\"seq\":0,\"move\":{\"x\":1,\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":-1,\"move\":{\"x\":1,\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":\"x\",\"move\":{\"x\":1,\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":\"1\",\"move\":{\"x\":1,\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1.5,\"move\":{\"x\":1,\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":9223372036854775808,\"move\":{\"x\":1,\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1e999,\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":0,\"z\":-1e999},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1e308,\"z\":1e308},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":\"1\",\"z\":0},\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":\"north\",\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":[1,0],\"yaw\":0}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":\"north\"}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":1e999}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":0,\"pos\":\"here\"}",
            "{\"type\":\"input\",\"seq\":1,\"move\":{\"x\":1,\"z\":0},\"yaw\":0,\"pos\":{\"x\":1e999,\"z\":0}}",
            "{\"type\":\"ping\",\"id\":\"x\"}"})
    void badFieldIsRefusedAndTheSeqIsNotUsedUp(String frame) {
        RawClient c = joined("bad");
        // Every refused input above carries a full-speed move: had it been applied, the player would move.
        assertRefusedWithoutEffect(c, frame, "bad_field");
        awaitTicks(world, 2);
        assertSeqOneStillAccepted(c);
    }

    static Stream<Arguments> badHellos() {
        return Stream.of(
                Arguments.of("{\"type\":\"hello\",\"v\":1}", "missing_field"),
                Arguments.of("{\"type\":\"hello\",\"name\":\"alice\"}", "missing_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"" + "a".repeat(25) + "\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"   \"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"a\\u0007b\"}", "bad_field"),
                // Names a person can read: no lone surrogates, C1 controls, line separators, bidi overrides or
                // isolates (which would reorder what other clients show around the name), nothing invisible alone.
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"\\ud800\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"ab\\udc00\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"a\\u0085b\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"a\\u2028b\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"admin\\u202egnp\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"\\u2067bob\\u2069\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"\\u200b\\u200b\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":42}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":\"1\",\"name\":\"alice\"}", "bad_field"),
                Arguments.of("{\"type\":\"hello\",\"v\":1,\"name\":\"alice\",\"resume\":42}", "bad_field"));
    }

    @ParameterizedTest
    @MethodSource("badHellos")
    void badHelloIsRefusedAndMakesNoPlayer(String frame, String code) {
        RawClient c = connect();
        long joins = joins(world);
        c.send(frame);
        // A good hello after the bad one: its welcome fences off everything the bad one caused.
        c.hello("b".repeat(24)); // the longest name allowed
        assertThat(types(c.messages())).as("answers to %s", frame).containsExactly("error:" + code, "welcome");
        assertThat(joins(world)).as("players made").isEqualTo(joins + 1);
    }

    // 4. Order of the handshake

    @Test
    void inputBeforeHelloIsRefusedAndNotQueued() {
        RawClient c = connect();
        long joins = joins(world);
        c.send(RawClient.inputJson(5, 1, 0, 0).encode());
        c.hello("early");
        assertThat(types(c.messages())).containsExactly("error:hello_required", "welcome");
        assertThat(joins(world)).isEqualTo(joins + 1);
        // Not held back for after the welcome either: seq 5 was never applied, so seq 1 still is.
        State s = state(world, c.playerId());
        assertThat(s.lastAppliedSeq()).isZero();
        assertThat(s.applied()).isZero();
        assertSeqOneStillAccepted(c);
    }

    @Test
    void pingBeforeHelloIsRefused() {
        // docs/protocol.md: hello_required for "a message other than hello before hello"; a ping is one.
        RawClient c = connect();
        c.send("{\"type\":\"ping\",\"id\":7}");
        c.hello("early-ping");
        assertThat(types(c.messages())).containsExactly("error:hello_required", "welcome");
    }

    @Test
    void secondHelloIsRefusedAndChangesNothing() {
        RawClient c = joined("first-name");
        String id = c.playerId();
        long joins = joins(world);
        assertRefusedWithoutEffect(c, hello("second-name", null).encode(), "already_hello");
        // Not even with a genuine token of someone else: a second hello must not take over another player.
        assertRefusedWithoutEffect(c, hello("thief", bystander.resumeToken()).encode(), "already_hello");
        assertThat(joins(world)).isEqualTo(joins);
        String name = inspect(world, w -> w.player(id).orElseThrow().name());
        assertThat(name).isEqualTo("first-name");
        await().atMost(TIMEOUT).until(() -> c.snapshots() > 0);
        assertThat(c.lastSnapshot().getJsonObject("you").getString("id")).isEqualTo(id);
    }

    // 5. Version

    @ParameterizedTest
    @ValueSource(strings = {"2", "0", "-1", "4294967297"})
    void unsupportedVersionIsRefusedAndClosedWith1002(String version) {
        RawClient c = connect();
        long joins = joins(world);
        c.send("{\"type\":\"hello\",\"v\":" + version + ",\"name\":\"future\"}");
        // The first answer decides: an error, or (wrongly) a welcome; no need to wait out a close that won't come.
        assertThat(types(c.awaitMessages(0, 1)).getFirst()).isEqualTo("error:unsupported_version");
        RawClient.Close close = c.awaitClosed();
        assertThat(types(c.messages())).containsExactly("error:unsupported_version");
        assertThat(close.code()).isEqualTo((short) 1002);
        assertThat(joins(world)).as("players made").isEqualTo(joins);
    }

    // 6. Resume

    @ParameterizedTest
    @ValueSource(strings = {"bad-mac-for-live-player", "other-players-mac", "tampered-last-char", "no-mac",
            "empty", "garbage"})
    void forgedResumeTokenMakesANewPlayer(String forgery) {
        String victim = bystander.playerId();
        String genuine = bystander.resumeToken();
        RawClient donor = joined("donor");
        String donorMac = donor.welcome().getString("resume_token").substring(donor.playerId().length() + 1);
        String token = switch (forgery) {
            case "bad-mac-for-live-player" -> victim + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
            case "other-players-mac" -> victim + "." + donorMac;
            case "tampered-last-char" -> genuine.substring(0, genuine.length() - 1)
                    + (genuine.endsWith("A") ? "B" : "A");
            case "no-mac" -> victim;
            case "empty" -> "";
            case "garbage" -> "\u0000..\uffff";
            default -> throw new IllegalArgumentException(forgery);
        };
        long joins = joins(world);
        RawClient c = connect();
        JsonObject welcome = c.hello("forger", token);
        assertThat(types(c.messages())).containsExactly("error:bad_resume", "welcome");
        assertThat(welcome.getString("player_id")).isNotEqualTo(victim).isNotEqualTo(donor.playerId());
        assertThat(welcome.getBoolean("resumed")).isFalse();
        assertThat(welcome.getLong("last_applied_seq")).isZero();
        assertThat(joins(world)).as("a new player was made").isEqualTo(joins + 1);
        // The player named in the token is untouched; @AfterEach checks its connection was not superseded.
        assertThat(state(world, victim).connected()).isTrue();
    }

    @Test
    void genuineResumeTokenTakesBackThePlayer() {
        RawClient first = joined("phoenix");
        String id = first.playerId();
        String token = first.welcome().getString("resume_token");
        for (long seq = 1; seq <= 3; seq++) {
            first.input(seq, 0, 0, 0);
        }
        await().atMost(TIMEOUT).until(() -> state(world, id).lastAppliedSeq() == 3);
        first.close();
        // Resume a dropped player, the case the resume window is for, not one whose old connection is still open.
        await().atMost(TIMEOUT).until(() -> !state(world, id).connected());
        long joins = joins(world);

        RawClient second = connect();
        JsonObject welcome = second.hello("phoenix", token);
        assertThat(types(second.messages())).containsExactly("welcome");
        assertThat(welcome.getBoolean("resumed")).isTrue();
        assertThat(welcome.getString("player_id")).isEqualTo(id);
        assertThat(welcome.getLong("last_applied_seq")).isEqualTo(3);
        assertThat(joins(world)).isEqualTo(joins);
        assertThat(state(world, id).connected()).isTrue();
        // Numbering goes on after last_applied_seq: an old seq is stale, the next one applies.
        assertThat(types(second.exchange(RawClient.inputJson(3, 1, 0, 0).encode()))).containsExactly("error:stale_seq");
        assertThat(types(second.exchange(RawClient.inputJson(4, 0, 0, 0).encode()))).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            State s = state(world, id);
            assertThat(s.lastAppliedSeq()).isEqualTo(4);
            assertThat(s.applied()).isEqualTo(4);
        });
    }

    @Test
    void resumeTokenOfAPlayerNoLongerInTheWorldIsRefused() {
        // docs/protocol.md: bad_resume also when the token is "for a player no longer in the world". A short
        // resume window (2 ticks) lets the player leave quickly.
        WorldSettings d = WorldSettings.DEFAULTS;
        WorldSettings shortWindow = new WorldSettings(d.cellsX(), d.cellsZ(), d.cellSizeM(), d.tickRateHz(),
                d.maxSpeedMps(), d.hysteresisM(), d.minDwellTicks(), d.teleportToleranceM(), 2, d.seed());
        try (EmbeddedWorld w = EmbeddedWorld.start(EmbeddedWorld.Config.forTests().withWorld(shortWindow));
             Bystander other = Bystander.join(clients, w.wsUri(), "other-bystander")) {
            Bystander.Mark otherMark = other.mark();
            RawClient first = track(RawClient.connect(clients, w.wsUri()));
            first.hello("gone");
            String id = first.playerId();
            String token = first.welcome().getString("resume_token");
            first.close();
            await().atMost(TIMEOUT).until(() -> inspect(w, x -> x.player(id).isEmpty()));

            RawClient second = track(RawClient.connect(clients, w.wsUri()));
            JsonObject welcome = second.hello("gone", token);
            assertThat(welcome.getBoolean("resumed")).isFalse();
            assertThat(welcome.getString("player_id")).isNotEqualTo(id);
            assertThat(types(second.messages())).containsExactly("error:bad_resume", "welcome");
            other.assertStillServed(otherMark);
        }
    }

    // 7. Sequence numbers

    @Test
    void staleRepeatedAndOutOfOrderSeqAreRefusedAndAppliedOnce() {
        RawClient c = joined("stale");
        String id = c.playerId();
        for (long seq = 1; seq <= 3; seq++) {
            c.input(seq, 0, 0, 0);
        }
        await().atMost(TIMEOUT).until(() -> state(world, id).lastAppliedSeq() == 3);
        long staleInEngine = inspect(world, w -> w.stats().staleInputs());
        State before = state(world, id);
        assertThat(before.applied()).isEqualTo(3);
        // The repeats ask for full speed: applied, they would move the stationary player.
        for (long seq : new long[] {3, 2, 1, 3}) {
            assertThat(types(c.exchange(RawClient.inputJson(seq, 1, 0, 0).encode())))
                    .as("seq %d after 3", seq).containsExactly("error:stale_seq");
        }
        awaitTicks(world, 3);
        assertUnchanged(before, state(world, id));

        // Out of order: 5 then 4. Gaps are allowed; going back is not.
        c.input(5, 0, 0, 0);
        assertThat(types(c.exchange(RawClient.inputJson(4, 1, 0, 0).encode()))).containsExactly("error:stale_seq");
        // A repeat sent at once, before the first copy can have reached the simulation.
        c.input(6, 0, 0, 0);
        assertThat(types(c.exchange(RawClient.inputJson(6, 1, 0, 0).encode()))).containsExactly("error:stale_seq");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            State s = state(world, id);
            assertThat(s.lastAppliedSeq()).isEqualTo(6);
            assertThat(s.applied()).as("seqs 1, 2, 3, 5, 6, each once").isEqualTo(5);
        });
        awaitTicks(world, 3);
        State after = state(world, id);
        assertThat(after.x()).isEqualTo(before.x());
        assertThat(after.z()).isEqualTo(before.z());
        // The gateway stopped every stale input: the engine never saw one.
        long staleAfter = inspect(world, w -> w.stats().staleInputs());
        assertThat(staleAfter).isEqualTo(staleInEngine);
        assertThat(c.lastSnapshot().getLong("last_applied_seq")).isLessThanOrEqualTo(6);
    }

    // 8. Movement is the server's

    @Test
    void hugeMoveVectorIsClampedToMaxSpeed() {
        RawClient c = joined("speeder");
        String id = c.playerId();
        State start = state(world, id);
        // Head for the far side, so that no wall stops the player within the measurement.
        double dx = start.x() < 256 ? 1 : -1;
        double dz = start.z() < 256 ? 1 : -1;

        assertThat(types(c.exchange(RawClient.inputJson(1, 1000 * dx, 0, 0).encode()))).isEmpty();
        await().atMost(TIMEOUT).until(() -> state(world, id).lastAppliedSeq() == 1);
        State a = state(world, id);
        awaitTicks(world, 10);
        State b = state(world, id);
        long ticks = b.tick() - a.tick();
        assertThat(Math.abs(b.x() - a.x())).as("metres in %d ticks", ticks).isCloseTo(ticks * MAX_STEP_M, within(1e-6));
        assertThat(b.z()).isEqualTo(a.z());
        double speed = inspect(world, w -> w.player(id).map(p -> Math.hypot(p.vx(), p.vz())).orElseThrow());
        assertThat(speed).as("server's speed, m/s").isCloseTo(8.0, within(1e-6));

        // Diagonal: clamped as one vector, not per axis (which would give 8 * sqrt(2)).
        assertThat(types(c.exchange(RawClient.inputJson(2, 1000 * dx, 1000 * dz, 0).encode()))).isEmpty();
        await().atMost(TIMEOUT).until(() -> state(world, id).lastAppliedSeq() == 2);
        State d1 = state(world, id);
        awaitTicks(world, 10);
        State d2 = state(world, id);
        long dTicks = d2.tick() - d1.tick();
        assertThat(Math.hypot(d2.x() - d1.x(), d2.z() - d1.z())).as("metres in %d ticks", dTicks)
                .isCloseTo(dTicks * MAX_STEP_M, within(1e-6));
    }

    @Test
    void teleportAttemptIsIgnoredAndCounted() {
        RawClient c = joined("teleporter");
        String id = c.playerId();
        State before = state(world, id);
        long attempts = inspect(world, w -> w.stats().teleportAttempts());
        double farX = before.x() < 256 ? before.x() + 100 : before.x() - 100;
        JsonObject teleport = RawClient.inputJson(1, 0, 0, 0)
                .put("pos", new JsonObject().put("x", farX).put("z", before.z()));
        // Not an error: the input is applied from the server's position, only the pos is ignored.
        assertThat(types(c.exchange(teleport.encode()))).isEmpty();
        await().atMost(TIMEOUT).until(() -> state(world, id).lastAppliedSeq() == 1);
        assertThat(teleportAttempts()).isEqualTo(attempts + 1);
        awaitTicks(world, 2);
        State after = state(world, id);
        assertThat(after.x()).isEqualTo(before.x());
        assertThat(after.z()).isEqualTo(before.z());
        assertThat(after.applied()).isEqualTo(1);

        // An honest prediction (the server's own position) is no attempt.
        JsonObject honest = RawClient.inputJson(2, 0, 0, 0)
                .put("pos", new JsonObject().put("x", after.x()).put("z", after.z()));
        assertThat(types(c.exchange(honest.encode()))).isEmpty();
        await().atMost(TIMEOUT).until(() -> state(world, id).lastAppliedSeq() == 2);
        assertThat(teleportAttempts()).isEqualTo(attempts + 1);
    }

    // 9. Frame size

    @Test
    void frameOver64KiBClosesWith1009() {
        RawClient c = joined("bigmouth");
        double oversized = counter("worldmesh.gateway.oversized.frames", null);
        c.send(paddedPing(64 * 1024 + 1));
        RawClient.Close close = c.awaitClosed();
        assertThat(types(c.messages())).containsExactly("welcome");
        assertThat(counter("worldmesh.gateway.oversized.frames", null)).isEqualTo(oversized + 1);
        // The gateway lets the player wait for a resume, like any dropped connection.
        await().atMost(TIMEOUT).until(() -> !state(world, c.playerId()).connected());
        assertThat(close.code()).as("close code").isEqualTo((short) 1009);
    }

    @Test
    void messageOver64KiBInFramesUnderItClosesWith1009() {
        // Each frame fits; the message they make up does not. Vert.x's aggregation, not Netty's decoder, stops it.
        RawClient c = joined("many-small");
        double oversized = counter("worldmesh.gateway.oversized.frames", null);
        String message = paddedPing(64 * 1024 + 1);
        int half = message.length() / 2;
        c.sendFrame(WebSocketFrame.textFrame(message.substring(0, half), false));
        c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(message.substring(half)), true));
        RawClient.Close close = c.awaitClosed();
        assertThat(types(c.messages())).containsExactly("welcome");
        assertThat(counter("worldmesh.gateway.oversized.frames", null)).isEqualTo(oversized + 1);
        assertThat(close.code()).as("close code").isEqualTo((short) 1009);
    }

    @Test
    void frameOfExactly64KiBIsAccepted() {
        RawClient c = joined("just-fits");
        assertThat(types(c.exchange(paddedPing(64 * 1024)))).containsExactly("pong");
        assertThat(c.isClosed()).isFalse();
    }

    // 10. Rate limit

    @Test
    void tooManyInputsGetAWarningThenAClose1008() {
        try (EmbeddedWorld w = EmbeddedWorld.start(EmbeddedWorld.Config.forTests()
                .withGateway(EmbeddedWorld.Config.forTests().gateway().withMaxInputsPerSecond(10)));
             Bystander other = Bystander.join(clients, w.wsUri(), "other-bystander")) {
            Bystander.Mark otherMark = other.mark();
            RawClient c = track(RawClient.connect(clients, w.wsUri()));
            c.hello("spammer");
            String id = c.playerId();

            // 25 at once: 20 go through (two seconds' worth), the 21st is warned about, the rest dropped.
            for (long seq = 1; seq <= 25; seq++) {
                c.input(seq, 0, 0, 0);
            }
            c.awaitMessage(0, m -> "error".equals(m.getString("type")));
            // The fence's pong comes after every answer to the burst: one warning, nothing else.
            c.exchange(() -> { });
            assertThat(types(c.messages())).containsExactly("welcome", "error:rate_limited", "pong");
            assertThat(c.isClosed()).isFalse();
            await().atMost(TIMEOUT).until(() -> state(w, id).lastAppliedSeq() == 20);
            assertThat(state(w, id).applied()).isEqualTo(20);

            // Keep it up at 50 a second for more than a second after the warning: closed.
            AtomicLong seq = new AtomicLong(25);
            long timer = clients.setPeriodic(20, t -> c.input(seq.incrementAndGet(), 0, 0, 0));
            try {
                RawClient.Close close = c.awaitClosed();
                assertThat(close.code()).isEqualTo((short) 1008);
            } finally {
                clients.cancelTimer(timer);
            }
            assertThat(types(c.messages())).as("warned once, then closed")
                    .filteredOn(t -> t.startsWith("error")).containsExactly("error:rate_limited");
            other.assertStillServed(otherMark);
        }
    }

    // 11. Binary frames

    @Test
    void binaryFrameIsRefusedAndTheConnectionStaysOpen() {
        RawClient c = joined("binary");
        String id = c.playerId();
        State before = state(world, id);
        // Even a valid input in a binary frame is not applied.
        byte[] input = RawClient.inputJson(1, 1, 0, 0).encode().getBytes(StandardCharsets.UTF_8);
        List<JsonObject> answers = c.exchange(() -> c.sendBinary(input));
        assertThat(types(answers)).containsExactly("error:binary_unsupported");
        awaitTicks(world, 2);
        assertUnchanged(before, state(world, id));
        assertThat(c.isClosed()).isFalse();
        assertSeqOneStillAccepted(c);
    }

    @Test
    void binaryFrameBeforeHelloIsRefused() {
        RawClient c = connect();
        c.sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {1, 2, 3}), true));
        c.hello("binary-early");
        assertThat(types(c.messages())).containsExactly("error:binary_unsupported", "welcome");
    }

    // Helpers

    private RawClient connect() {
        return track(RawClient.connect(clients, world.wsUri()));
    }

    private RawClient joined(String name) {
        RawClient c = connect();
        c.hello(name);
        return c;
    }

    private RawClient track(RawClient c) {
        opened.add(c);
        return c;
    }

    /** Sends {@code frame}; the answer must be exactly one error {@code code}, with nothing changed on the server. */
    private static void assertRefusedWithoutEffect(RawClient c, String frame, String code) {
        State before = state(world, c.playerId());
        double refused = counter("worldmesh.gateway.refused", code);
        assertThat(types(c.exchange(frame))).as("answers to %s", frame).containsExactly("error:" + code);
        // exchange() returned after the pong: the refusal and anything it might have forwarded are done, and a
        // forwarded input would be in the simulation's mailbox ahead of this inspection.
        assertUnchanged(before, state(world, c.playerId()));
        assertThat(counter("worldmesh.gateway.refused", code)).as("refusals counted").isEqualTo(refused + 1);
    }

    /** A refused input must not use up its seq: seq 1 is still applied, exactly once. */
    private static void assertSeqOneStillAccepted(RawClient c) {
        assertThat(types(c.exchange(RawClient.inputJson(1, 0, 0, 0).encode()))).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            State s = state(world, c.playerId());
            assertThat(s.lastAppliedSeq()).isEqualTo(1);
            assertThat(s.applied()).isEqualTo(1);
        });
    }

    /** The player never moved, so even its position must be exactly as it was. */
    private static void assertUnchanged(State before, State after) {
        assertThat(after).usingRecursiveComparison().ignoringFields("tick").isEqualTo(before);
    }

    private static State state(EmbeddedWorld w, String id) {
        // Never throw on the simulation thread: an Error there ends the world's tick loop.
        State s = inspect(w, x -> x.player(id).map(p -> new State(x.tick(), p.x(), p.z(), p.lastAppliedSeq(),
                p.appliedInputs(), p.connected())).orElse(null));
        assertThat(s).as("player %s in the world", id).isNotNull();
        return s;
    }

    private static <T> T inspect(EmbeddedWorld w, Function<World, T> query) {
        return w.node().inspect(query).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static void awaitTicks(EmbeddedWorld w, long n) {
        long from = inspect(w, World::tick);
        await().atMost(TIMEOUT).until(() -> inspect(w, World::tick) >= from + n);
    }

    private static long teleportAttempts() {
        return inspect(world, w -> w.stats().teleportAttempts());
    }

    private static long joins(EmbeddedWorld w) {
        return inspect(w, x -> x.stats().joins());
    }

    private static double counter(String name, String code) {
        var search = world.registry().find(name);
        Counter counter = (code == null ? search : search.tag("code", code)).counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonObject hello(String name, String resume) {
        JsonObject h = new JsonObject().put("type", "hello").put("v", 1).put("name", name);
        return resume == null ? h : h.put("resume", resume);
    }

    /** A ping padded with an unknown field (ignored, as the protocol says) to exactly {@code bytes} bytes. */
    private static String paddedPing(int bytes) {
        String head = "{\"type\":\"ping\",\"id\":77,\"pad\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    /** Message types, with an error's code: {@code welcome}, {@code error:bad_json}. */
    private static List<String> types(List<JsonObject> messages) {
        return messages.stream().map(m -> "error".equals(m.getString("type"))
                ? "error:" + m.getString("code") : m.getString("type")).toList();
    }
}
