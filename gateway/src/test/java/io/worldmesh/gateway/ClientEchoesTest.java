package io.worldmesh.gateway;

import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClientEchoesTest {

    private record Sent(String node, ToNode frame) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<String> replies = new ArrayList<>();
    private boolean linkUp = true;
    private final ClientEchoes<String> echoes = new ClientEchoes<>(
            player -> Optional.ofNullable(Map.of("p1", "n1", "p2", "n2").get(player)),
            (node, frame) -> linkUp && sent.add(new Sent(node, frame)),
            (client, json) -> replies.add(client + " " + json));

    @Test
    void aClientsEchoGoesToItsPlayersOwnerUnderALinkIdOfItsOwnAndComesBackWithItsId() {
        echoes.toOwner("c1", "p1", 7);
        echoes.toOwner("c2", "p2", 7);
        assertThat(sent).extracting(Sent::node).containsExactly("n1", "n2");
        long first = ((ToNode.Echo) sent.get(0).frame()).id();
        long second = ((ToNode.Echo) sent.get(1).frame()).id();
        assertThat(first).isNegative().isNotEqualTo(second);

        assertThat(echoes.answered(second)).isTrue();
        assertThat(echoes.answered(first)).isTrue();
        assertThat(replies).containsExactly("c2 {\"type\":\"echo\",\"id\":7}", "c1 {\"type\":\"echo\",\"id\":7}");
        assertThat(echoes.answered(first)).as("a repeat is a client's, answered already").isTrue();
        assertThat(replies).hasSize(2);
        assertThat(echoes.answered(5)).as("the link benchmark's").isFalse();
    }

    @Test
    void anEchoThatCannotBeSentIsNotKept() {
        echoes.toOwner("c1", "nobody", 1);
        linkUp = false;
        echoes.toOwner("c1", "p1", 2);
        assertThat(echoes.waiting()).isZero();
        assertThat(replies).isEmpty();
    }

    @Test
    void pastTheBoundNewEchoesAreRefused() {
        for (int i = 0; i < ClientEchoes.MAX_PENDING; i++) {
            echoes.toOwner("c1", "p1", i);
        }
        echoes.toOwner("c1", "p1", -1);
        assertThat(echoes.waiting()).isEqualTo(ClientEchoes.MAX_PENDING);
        assertThat(replies).singleElement().asString().contains("overloaded");
    }
}
