package io.worldmesh.client;

import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.ClientMessageDecoder;
import io.worldmesh.protocol.client.Decoded;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BotActionsTest {

    private static final Map<String, Map<String, String>> DECLARED = Map.of(
            "drop", Map.of(),
            "signal", Map.of("word", "string", "level", "number", "loud", "boolean"),
            "warp", Map.of("where", "vector")); // a type this client does not know

    @Test
    void picksOnlyActionsItCanFillAndFillsEveryFieldByItsType() {
        BotActions actions = new BotActions(DECLARED);
        SplittableRandom random = new SplittableRandom(7);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ClientMessage.GameAction a = actions.pick(random);
            seen.add(a.name());
            if (a.name().equals("signal")) {
                assertThat(a.fields()).containsOnlyKeys("word", "level", "loud");
                assertThat(a.fields().get("word")).isInstanceOf(String.class);
                assertThat((Double) a.fields().get("level")).isBetween(0.0, 100.0);
                assertThat(a.fields().get("loud")).isInstanceOf(Boolean.class);
            } else {
                assertThat(a.fields()).isEmpty();
            }
        }
        assertThat(seen).containsExactlyInAnyOrder("drop", "signal");
    }

    @Test
    void aGameWithoutActionsGivesNothingToPlay() {
        assertThat(new BotActions(Map.of()).isEmpty()).isTrue();
        assertThat(new BotActions(Map.of("warp", Map.of("where", "vector"))).isEmpty()).isTrue();
    }

    @Test
    void theSameSeedPlaysTheSameActions() {
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            assertThat(new BotActions(DECLARED).pick(a)).isEqualTo(new BotActions(DECLARED).pick(b));
        }
    }

    @Test
    void anInputCarryingAnActionDecodesOnTheServerAsSent() {
        ClientMessage.GameAction sent = new ClientMessage.GameAction("signal",
                Map.of("word", "he said \"hi\"", "level", 12.5, "loud", true));
        Decoded d = new ClientMessageDecoder().decode(GameConnection.inputJson(4, 0.6, -0.8, 1.25, sent));
        assertThat(d).isInstanceOf(Decoded.Ok.class);
        ClientMessage.Input in = (ClientMessage.Input) ((Decoded.Ok) d).message();
        assertThat(in.seq()).isEqualTo(4);
        assertThat(in.action()).isEqualTo(sent);

        Decoded plain = new ClientMessageDecoder().decode(GameConnection.inputJson(5, 0, 0, 0, null));
        assertThat(((ClientMessage.Input) ((Decoded.Ok) plain).message()).action()).isNull();
    }
}
