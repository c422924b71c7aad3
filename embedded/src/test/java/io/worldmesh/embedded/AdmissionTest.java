package io.worldmesh.embedded;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import io.worldmesh.gateway.Admission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who the gateway lets in, against docs/protocol.md: the Origin of a browser's upgrade, the hello timeout, the
 * connections one address may hold, the players one gateway holds, strict UTF-8, and HTTP paths that must not grow
 * anything. Clients bind their own 127.0.0.x address, so that each test's count starts from nothing; a
 * {@link Bystander} connected meanwhile must go on being served.
 */
class AdmissionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String ALLOWED = "https://play.example.com";
    private static final int PER_ADDRESS = 4;
    private static final Duration HELLO_TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    static final ServedWorld served = new ServedWorld(() -> withAdmission(Admission.DEFAULTS
            .withAllowedOrigins(List.of(ALLOWED)).withHelloTimeout(HELLO_TIMEOUT)
            .withMaxConnectionsPerAddress(PER_ADDRESS)));

    private static EmbeddedWorld world;
    private static Bystander bystander;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void aliases() {
        world = served.world();
        bystander = served.bystander();
    }

    @AfterEach
    void closeWhatTheTestOpened() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    // 1. Origin

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "http://127.0.0.1", "http://127.0.0.1:1", "null",
            "http://127.0.0.1.evil.example", "https://play.example.com:8443", "http://play.example.com",
            "https://play.example.com.evil.example", "file://", "not an origin"})
    void anUpgradeFromAnotherOriginIsRefusedWith403(String origin) throws IOException {
        int connections = world.gateway().connections();
        double refused = rejected("origin");
        RawSocket s = open("127.0.0.10", Map.of("Origin", origin));
        assertThat(s.upgrade().status()).as("status for Origin %s", origin).isEqualTo(403);
        assertThat(s.refusal()).contains("origin", "may not open /ws");
        assertThat(rejected("origin")).isEqualTo(refused + 1);
        assertThat(world.gateway().connections()).as("WebSockets made").isEqualTo(connections);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "own", "own-upper-case", ALLOWED, "HTTPS://Play.Example.COM:443"})
    void anUpgradeWithoutOriginFromTheGatewaysOwnOrAnAllowedOneIsAccepted(String origin) throws IOException {
        String own = "http://127.0.0.1:" + world.port();
        Map<String, String> headers = switch (origin) {
            case "" -> Map.of();
            case "own" -> Map.of("Origin", own);
            case "own-upper-case" -> Map.of("Origin", own.toUpperCase());
            default -> Map.of("Origin", origin);
        };
        RawSocket s = open("127.0.0.11", headers);
        assertThat(s.upgrade().status()).as("status for Origin '%s'", origin).isEqualTo(101);
        s.sendText(hello("origin-ok"));
        assertThat(awaitText(s, m -> m.contains("\"welcome\""))).contains("player_id");
    }

    // 2. Hello timeout

    @Test
    void aConnectionThatSaysNoHelloIsClosedAfterTheHelloTimeout() throws IOException {
        double timedOut = rejected("hello_timeout");
        long start = System.nanoTime();
        RawSocket silent = open("127.0.0.12", Map.of());
        RawSocket.Frame close = silent.readUntilClose(text -> { });
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(close).as("close frame").isNotNull();
        assertThat(close.closeCode()).isEqualTo(1008);
        assertThat(close.text()).contains("no hello within 300 ms");
        assertThat(waitedMs).as("ms until closed").isGreaterThanOrEqualTo(HELLO_TIMEOUT.toMillis());
        assertThat(rejected("hello_timeout")).isEqualTo(timedOut + 1);
    }

    @Test
    void aConnectionThatSaidHelloInTimeIsNotClosed() throws IOException {
        RawSocket s = joined("127.0.0.12", "prompt");
        // Snapshots for twice the timeout, and no close among them.
        long until = System.nanoTime() + HELLO_TIMEOUT.multipliedBy(2).toNanos();
        while (System.nanoTime() < until) {
            awaitText(s, m -> m.contains("\"snapshot\""));
        }
        s.sendText("{\"type\":\"ping\",\"id\":5}");
        assertThat(awaitText(s, m -> m.contains("\"pong\""))).contains("\"id\":5");
    }

    // 3. Connections per address

    @Test
    void oneAddressHoldsOnlySoManyWebSocketsAndTheNextIsToldWhy() throws IOException {
        List<RawSocket> mine = new ArrayList<>();
        for (int i = 0; i < PER_ADDRESS; i++) {
            mine.add(joined("127.0.0.20", "local-" + i));
        }
        double refused = refused("too_many_connections");
        RawSocket over = open("127.0.0.20", Map.of());
        List<String> told = new ArrayList<>();
        RawSocket.Frame close = over.readUntilClose(told::add);
        assertThat(told).singleElement().asString().contains("\"code\":\"too_many_connections\"");
        assertThat(close.closeCode()).isEqualTo(1008);
        assertThat(refused("too_many_connections")).isEqualTo(refused + 1);

        // Another address is not held to this one's count.
        joined("127.0.0.21", "neighbour");

        // A connection that goes gives its place back.
        int connections = world.gateway().connections();
        mine.getFirst().close();
        await().atMost(TIMEOUT).until(() -> world.gateway().connections() == connections - 1);
        joined("127.0.0.20", "local-again");
    }

    @Test
    void oneAddressHoldsOnlyTwiceAsManyTcpConnectionsOfAnyKind() throws IOException {
        double closed = rejected("address_sockets");
        // Requests not finished yet: the connections are open and counted, and none is answered.
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i <= 2 * PER_ADDRESS; i++) {
            Socket s = track(RawSocket.connect(world.wsUri(), "127.0.0.30", 0));
            s.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            sockets.add(s);
        }
        // The gateway takes them in on several event loops: finish none before it has turned one away.
        await().atMost(TIMEOUT).until(() -> rejected("address_sockets") == closed + 1);
        List<String> answers = new ArrayList<>();
        for (Socket s : sockets) {
            answers.add(get(s, null));
        }
        assertThat(answers).as("answers").filteredOn(a -> a.startsWith("HTTP/1.1 200")).hasSize(2 * PER_ADDRESS);
        assertThat(answers).as("connections closed unanswered").filteredOn(String::isEmpty).hasSize(1);
        assertThat(rejected("address_sockets")).isEqualTo(closed + 1);
    }

    @Test
    void aPlainRequestIsTheLastOnItsConnection() throws IOException {
        Socket s = track(RawSocket.connect(world.wsUri(), "127.0.0.31", 0));
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        String both = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(both).as("answers to two pipelined requests, then the end of the connection")
                .startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close")
                .containsOnlyOnce("HTTP/1.1");
    }

    // 4. Players per gateway

    @Test
    void aFullGatewayTellsTheNextClientSoAndLetsItInOnceThereIsRoom() throws Exception {
        try (EmbeddedWorld small = EmbeddedWorld.start(withAdmission(Admission.DEFAULTS.withMaxPlayers(2)))) {
            URI uri = small.wsUri();
            RawSocket first = joined(uri, "127.0.0.40", "early");
            joined(uri, "127.0.0.41", "early");
            RawSocket third = track(RawSocket.open(uri, "127.0.0.42", 0, Map.of()));
            List<String> told = new ArrayList<>();
            RawSocket.Frame close = third.readUntilClose(told::add);
            assertThat(told).singleElement().asString().contains("\"code\":\"server_full\"");
            assertThat(close.closeCode()).isEqualTo(1013);

            first.close();
            await().atMost(TIMEOUT).until(() -> small.gateway().connections() == 1);
            joined(uri, "127.0.0.42", "later");
        }
    }

    // 5. UTF-8

    @ParameterizedTest
    @ValueSource(strings = {"ff", "c0af", "eda080", "e282", "f4908080", "7b2274797065223a2270696e6722c3"})
    void aTextFrameThatIsNotUtf8ClosesTheConnectionWith1007(String hex) throws IOException {
        double before = rejected("not_utf8");
        RawSocket s = open("127.0.0.13", Map.of());
        s.send(RawSocket.FIN | RawSocket.TEXT, HexFormat.of().parseHex(hex));
        List<String> answers = new ArrayList<>();
        RawSocket.Frame close = s.readUntilClose(answers::add);
        assertThat(answers).as("answers before the close").isEmpty();
        assertThat(close.closeCode()).isEqualTo(1007);
        assertThat(rejected("not_utf8")).isEqualTo(before + 1);
    }

    @Test
    void aPlayersTextFrameThatIsNotUtf8ClosesItWith1007() throws IOException {
        RawSocket s = joined("127.0.0.13", "sloppy");
        byte[] latin1 = "{\"type\":\"ping\",\"id\":1,\"pad\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        s.send(RawSocket.FIN | RawSocket.TEXT, latin1);
        assertThat(s.readUntilClose(text -> { }).closeCode()).isEqualTo(1007);
    }

    @Test
    void aCharacterSplitAcrossFramesAndAGenuineReplacementCharacterAreFine() throws IOException {
        RawSocket s = open("127.0.0.13", Map.of());
        byte[] hello = hello("caf\u00e9 \uFFFD").getBytes(StandardCharsets.UTF_8);
        int cut = new String(hello, StandardCharsets.UTF_8).indexOf('\u00e9') + 1; // inside the two bytes of é
        s.send(RawSocket.TEXT, java.util.Arrays.copyOfRange(hello, 0, cut));
        s.send(RawSocket.FIN, java.util.Arrays.copyOfRange(hello, cut, hello.length));
        JsonObject welcome = new JsonObject(awaitText(s, m -> m.contains("\"welcome\"")));
        String id = welcome.getString("player_id");
        String name = world.node().inspect(w -> w.player(id).map(p -> p.name()).orElse(null)).join();
        assertThat(name).isEqualTo("caf\u00e9 \uFFFD");
    }

    // 6. HTTP paths

    /** Vert.x's own bounds, which docs/protocol.md names: 4096 bytes of request line, 8 KiB of headers. */
    @ParameterizedTest
    @ValueSource(strings = {"line", "headers"})
    void aRequestLineOrHeadersPastTheirBoundsAreRefusedAndTheConnectionClosed(String what) throws IOException {
        Socket s = track(RawSocket.connect(world.wsUri(), "127.0.0.32", 0));
        String request = what.equals("line")
                ? "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"
                : "GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(9000) + "\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(answer).as("the whole answer, up to the end of the connection")
                .containsPattern(what.equals("line") ? "^HTTP/1.\\d 414" : "^HTTP/1.\\d 431");
    }

    @Test
    void manyUniquePathsGrowNothing() throws IOException {
        assertThat(get(track(RawSocket.connect(world.wsUri(), "127.0.0.60", 0)), "/index.html"))
                .startsWith("HTTP/1.1 200");
        int files = world.gateway().cachedFiles();
        // The bystander's address alone, once the other tests' connections are gone.
        await().atMost(TIMEOUT).until(() -> world.gateway().addressesHeld() == 1);
        for (int i = 0; i < 1000; i++) {
            String path = switch (i % 3) {
                case 0 -> "/missing-" + i + ".js";
                case 1 -> "/deep/" + i + "/x.html";
                default -> "/no-type-" + i;
            };
            try (Socket s = RawSocket.connect(world.wsUri(), "127.0.0.60", 0)) {
                assertThat(get(s, path)).as(path).startsWith("HTTP/1.1 404");
            }
        }
        assertThat(world.gateway().cachedFiles()).as("files cached").isEqualTo(files);
        await().atMost(TIMEOUT).until(() -> world.gateway().addressesHeld() == 1);
    }

    // Helpers

    private static EmbeddedWorld.Config withAdmission(Admission admission) {
        EmbeddedWorld.Config c = EmbeddedWorld.Config.forTests();
        return c.withGateway(c.gateway().withAdmission(admission));
    }

    /** A connection from {@code localAddress} that has said hello and been welcomed. */
    private RawSocket joined(String localAddress, String name) throws IOException {
        return joined(world.wsUri(), localAddress, name);
    }

    private RawSocket joined(URI uri, String localAddress, String name) throws IOException {
        RawSocket s = track(RawSocket.open(uri, localAddress, 0, Map.of()));
        s.sendText(hello(name));
        awaitText(s, m -> m.contains("\"welcome\""));
        return s;
    }

    private RawSocket open(String localAddress, Map<String, String> headers) throws IOException {
        return track(RawSocket.open(world.wsUri(), localAddress, 0, headers));
    }

    private <T extends AutoCloseable> T track(T c) {
        opened.add(c);
        return c;
    }

    private static String hello(String name) {
        return new JsonObject().put("type", "hello").put("v", 1).put("name", name).encode();
    }

    /** The first text frame that matches, snapshots and the rest read past. */
    private static String awaitText(RawSocket s, Predicate<String> match) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            RawSocket.Frame f = s.read();
            assertThat(f).as("connection still open").isNotNull();
            assertThat(f.opcode()).as("not closed: %s", f.text()).isNotEqualTo(RawSocket.CLOSE);
            if (f.opcode() == RawSocket.TEXT && match.test(f.text())) {
                return f.text();
            }
        }
        throw new AssertionError("no matching message within " + TIMEOUT);
    }

    /**
     * One GET: the status line and headers, or "" when the server closed the connection unanswered. A null
     * {@code path} finishes a request whose first line was sent already.
     */
    private static String get(Socket s, String path) throws IOException {
        OutputStream out = s.getOutputStream();
        try {
            out.write(((path == null ? "" : "GET " + path + " HTTP/1.1\r\n") + "Host: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            RawSocket.Upgrade head = RawSocket.readUpgrade(s.getInputStream());
            s.getInputStream().readNBytes(Integer.parseInt(head.headers().getOrDefault("content-length", "0")));
            return "HTTP/1.1 " + head.status() + " " + head.headers();
        } catch (java.io.EOFException | SocketException closed) {
            return "";
        }
    }

    private static double rejected(String reason) {
        Counter c = world.registry().find("worldmesh.gateway.rejected").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private static double refused(String code) {
        Counter c = world.registry().find("worldmesh.gateway.refused").tag("code", code).counter();
        return c == null ? 0 : c.count();
    }
}
