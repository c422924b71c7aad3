package io.worldmesh.gateway;

import io.worldmesh.protocol.client.ClientMessageDecoder;
import io.worldmesh.protocol.client.ErrorCode;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.link.WorldInfo;
import io.worldmesh.protocol.token.ResumeTokens;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSessionTest {

    private static final byte[] SECRET = "a-test-secret-of-some-length".getBytes(StandardCharsets.UTF_8);
    private static final WorldInfo WORLD = new WorldInfo("node-1", "orbs", 20, 8, 8, 64, 8,
            java.util.Map.of("drop", java.util.Map.of()));

    private final ResumeTokens tokens = new ResumeTokens(SECRET);
    private final List<ErrorCode> refused = new ArrayList<>();
    private final ClientSession session = new ClientSession(7, new ClientMessageDecoder(), tokens,
            GatewaySettings.defaults(SECRET).withMaxInputsPerSecond(5), refused::add);

    private static String input(long seq) {
        return "{\"type\":\"input\",\"seq\":" + seq + ",\"move\":{\"x\":1,\"z\":0},\"yaw\":0}";
    }

    private List<SessionEffect> play() {
        List<SessionEffect> hello = session.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"ann\"}", 0);
        assertThat(hello).containsExactly(new SessionEffect.Forward(new ToNode.Attach(7, "ann", null)));
        return session.onAttached(new ToGateway.Attached(7, "p1", false, 0, 1, WORLD));
    }

    @Test
    void helloThenWelcomeThenInputsAreForwardedInOrder() {
        List<SessionEffect> attached = play();
        assertThat(attached.get(0)).isEqualTo(new SessionEffect.Bind("p1"));
        assertThat(((SessionEffect.Send) attached.get(1)).json())
                .contains("\"type\":\"welcome\"", "\"player_id\":\"p1\"", "\"resume_token\":\"p1.",
                        "\"actions\":[{\"name\":\"drop\",\"fields\":{}}]");
        List<SessionEffect> in = session.onText(input(1), 1);
        assertThat(in).singleElement().isInstanceOfSatisfying(SessionEffect.Forward.class,
                f -> assertThat(((ToNode.Input) f.frame()).input().seq()).isEqualTo(1));
        assertThat(session.playerId()).isEqualTo("p1");
    }

    @Test
    void inputsBeforeHelloAreRefused() {
        List<SessionEffect> e = session.onText(input(1), 0);
        assertThat(e).singleElement().isInstanceOfSatisfying(SessionEffect.Send.class,
                s -> assertThat(s.json()).contains("hello_required"));
        assertThat(refused).containsExactly(ErrorCode.HELLO_REQUIRED);
    }

    @Test
    void inputsWhileJoiningAreHeldUntilTheWelcome() {
        session.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"ann\"}", 0);
        assertThat(session.onText(input(1), 1)).isEmpty();
        assertThat(session.onText(input(2), 2)).isEmpty();
        List<SessionEffect> attached = session.onAttached(new ToGateway.Attached(7, "p1", false, 0, 1, WORLD));
        assertThat(attached).filteredOn(SessionEffect.Forward.class::isInstance).hasSize(2);
    }

    @Test
    void pongsAndRefusalsMayBeDroppedForAClientThatDoesNotReadButTheWelcomeMayNot() {
        assertThat(((SessionEffect.Send) play().get(1)).droppable()).as("welcome").isFalse();
        assertThat(session.onText("{\"type\":\"ping\",\"id\":1}", 1)).singleElement()
                .isInstanceOfSatisfying(SessionEffect.Send.class, s -> assertThat(s.droppable()).as("pong").isTrue());
        assertThat(session.onText("not json", 2)).singleElement()
                .isInstanceOfSatisfying(SessionEffect.Send.class, s -> assertThat(s.droppable()).as("error").isTrue());
    }

    @Test
    void anEchoGoesToTheSimulationOnceThereIsAPlayerAndCountsAgainstTheInputRate() {
        assertThat(session.onText("{\"type\":\"echo\",\"id\":3}", 0)).singleElement()
                .isInstanceOfSatisfying(SessionEffect.Send.class, s -> assertThat(s.json()).contains("hello_required"));
        session.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"ann\"}", 0);
        assertThat(session.onText("{\"type\":\"echo\",\"id\":3}", 0)).singleElement()
                .isInstanceOf(SessionEffect.Send.class); // joining: no node to echo yet
        session.onAttached(new ToGateway.Attached(7, "p1", false, 0, 1, WORLD));
        assertThat(session.onText("{\"type\":\"echo\",\"id\":3}", 1))
                .containsExactly(new SessionEffect.Forward(new ToNode.Echo(3)));
        for (int i = 1; i <= 9; i++) {
            session.onText(input(i), 2 + i); // 5 a second, 10 at once: this echo and these 9 inputs
        }
        assertThat(session.onText("{\"type\":\"echo\",\"id\":4}", 12)).singleElement()
                .isInstanceOfSatisfying(SessionEffect.Send.class, s -> assertThat(s.json()).contains("rate_limited"));
    }

    @Test
    void repeatedOrOlderSeqsAreRefusedAndNotForwarded() {
        play();
        session.onText(input(3), 1);
        assertThat(session.onText(input(3), 2)).singleElement().isInstanceOf(SessionEffect.Send.class);
        assertThat(session.onText(input(2), 3)).singleElement().isInstanceOf(SessionEffect.Send.class);
        assertThat(refused).containsExactly(ErrorCode.STALE_SEQ, ErrorCode.STALE_SEQ);
    }

    @Test
    void aSecondHelloIsRefused() {
        play();
        assertThat(session.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"bob\"}", 1))
                .singleElement().isInstanceOf(SessionEffect.Send.class);
        assertThat(refused).containsExactly(ErrorCode.ALREADY_HELLO);
    }

    @Test
    void anUnsupportedVersionClosesWith1002() {
        List<SessionEffect> e = session.onText("{\"type\":\"hello\",\"v\":2,\"name\":\"ann\"}", 0);
        assertThat(e).last().isEqualTo(new SessionEffect.Close(1002, "unsupported protocol version"));
        assertThat(session.onText(input(1), 1)).isEmpty();
    }

    @Test
    void aGenuineResumeTokenIsForwardedAndAForgedOneIsNot() {
        List<SessionEffect> e = session.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"ann\",\"resume\":\""
                + tokens.sign("p9") + "\"}", 0);
        assertThat(e).containsExactly(new SessionEffect.Forward(new ToNode.Attach(7, "ann", "p9")));

        ClientSession other = new ClientSession(8, new ClientMessageDecoder(), tokens,
                GatewaySettings.defaults(SECRET), refused::add);
        List<SessionEffect> forged = other.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"eve\",\"resume\":\"p9.AAAA\"}", 0);
        assertThat(forged.getFirst()).isInstanceOfSatisfying(SessionEffect.Send.class,
                s -> assertThat(s.json()).contains("bad_resume"));
        assertThat(forged.getLast()).isEqualTo(new SessionEffect.Forward(new ToNode.Attach(8, "eve", null)));
    }

    @Test
    void aResumedPlayersSeqGoesOnFromTheLastAppliedOne() {
        session.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"ann\"}", 0);
        List<SessionEffect> attached = session.onAttached(new ToGateway.Attached(7, "p1", true, 40, 1, WORLD));
        assertThat(((SessionEffect.Send) attached.get(1)).json()).contains("\"resumed\":true", "\"last_applied_seq\":40");
        assertThat(session.onText(input(40), 1)).singleElement().isInstanceOf(SessionEffect.Send.class);
        assertThat(session.onText(input(41), 2)).singleElement().isInstanceOf(SessionEffect.Forward.class);
    }

    @Test
    void floodingIsWarnedThenClosedWith1008() {
        play();
        long seq = 0;
        List<List<SessionEffect>> answers = new java.util.ArrayList<>();
        for (long t = 0; t < 5_000_000_000L; t += 50_000_000L) { // 20 a second against 5
            List<SessionEffect> a = session.onText(input(++seq), t);
            answers.add(a);
            if (a.contains(new SessionEffect.Close(1008, "input rate limit exceeded"))) {
                break;
            }
        }
        assertThat(answers.getLast()).containsExactly(new SessionEffect.Close(1008, "input rate limit exceeded"));
        assertThat(answers).filteredOn(a -> a.size() == 1 && a.get(0) instanceof SessionEffect.Send s
                && s.json().contains("rate_limited")).as("one warning").hasSize(1);
    }

    @Test
    void closingAPlayingSessionDetachesItsPlayerButASupersededOneDoesNot() {
        play();
        assertThat(session.onClosed()).containsExactly(new SessionEffect.Forward(new ToNode.Detach("p1", 7)));

        ClientSession replaced = new ClientSession(9, new ClientMessageDecoder(), tokens,
                GatewaySettings.defaults(SECRET), refused::add);
        replaced.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"ann\"}", 0);
        replaced.onAttached(new ToGateway.Attached(9, "p1", false, 0, 1, WORLD));
        assertThat(replaced.onSuperseded()).singleElement().isInstanceOf(SessionEffect.Close.class);
        assertThat(replaced.onClosed()).isEmpty();
    }

    @Test
    void aPlayerGoneFromItsNodeIsToldToTheClientAndTheConnectionClosesWithoutADetach() {
        assertThat(session.onGone("window ran out")).as("no player yet: nothing").isEmpty();
        play();
        List<SessionEffect> gone = session.onGone("window ran out");
        assertThat(gone).hasSize(2);
        assertThat(((SessionEffect.Send) gone.get(0)).json()).contains("\"code\":\"player_gone\"", "window ran out");
        assertThat(gone.get(1)).isEqualTo(new SessionEffect.Close(1013, "player gone; connect again"));
        assertThat(refused).containsExactly(ErrorCode.PLAYER_GONE);
        assertThat(session.onClosed()).as("nothing to detach").isEmpty();
        assertThat(session.onGone("again")).isEmpty();
    }

    @Test
    void aWelcomeForAConnectionThatWentAwayDetachesThePlayer() {
        session.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"ann\"}", 0);
        session.onClosed();
        assertThat(session.onAttached(new ToGateway.Attached(7, "p1", false, 0, 1, WORLD)))
                .containsExactly(new SessionEffect.Forward(new ToNode.Detach("p1", 7)));
    }

    @Test
    void aConnectionWithoutHelloIsClosedAtTheHelloTimeoutAndOneWithHelloIsNot() {
        assertThat(session.onHelloTimeout())
                .containsExactly(new SessionEffect.Close(1008, "no hello within 5000 ms"));
        assertThat(session.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"late\"}", 1))
                .as("after the close").isEmpty();

        ClientSession prompt = new ClientSession(8, new ClientMessageDecoder(), tokens,
                GatewaySettings.defaults(SECRET), refused::add);
        prompt.onText("{\"type\":\"hello\",\"v\":1,\"name\":\"ann\"}", 0);
        assertThat(prompt.onHelloTimeout()).isEmpty();
    }
}
