package io.worldmesh.node.core;

import io.worldmesh.directory.InMemoryDirectory;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.engine.World;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resume that reaches a node without the player (its gateway's answer was stale: the player is staged here and
 * not activated yet, being restored, or on another node by now) must not cost the client its player: the node asks
 * the directory, and only a player the directory no longer knows is replaced by a new one.
 */
class ResumeNotHereTest {

    private final InMemoryDirectory directory = new InMemoryDirectory(() -> 1_000);
    private final OneCellNode node = OneCellNode.running();
    private final World world = node.world();
    private final NodeCore core = node.core();
    private final List<NodeEffect> seen = new ArrayList<>();

    @BeforeEach
    void linked() {
        handle(new NodeInput.GatewayLinked("g1", 11));
    }

    private void handle(NodeInput input) {
        DirectoryAtHand.handle(core, input, 1_000_000_000L, DirectoryAtHand.answeredBy(directory), seen);
    }

    private List<ToGateway> frames() {
        List<ToGateway> frames = new ArrayList<>();
        for (NodeEffect e : seen) {
            if (e instanceof NodeEffect.ToGatewayFrame f) {
                frames.add(f.frame());
            }
        }
        seen.clear();
        return frames;
    }

    @Test
    void aResumeForAPlayerElsewhereInTheWorldIsRefusedForARetryAndJoinsNobodyNew() {
        directory.createPlayer("p2-7", "n2", new byte[]{1});
        handle(new NodeInput.FromGateway("g1", new ToNode.Attach(4, "ana", "p2-7")));

        assertThat(frames()).singleElement().isInstanceOfSatisfying(ToGateway.Refused.class, r -> {
            assertThat(r.connectionId()).isEqualTo(4);
            assertThat(r.reason()).contains("p2-7", "n2@1", "retry");
        });
        assertThat(world.players()).as("no new player took its place").isEmpty();
        assertThat(core.counters().resumesNotHere()).isEqualTo(1);
        assertThat(core.counters().joins()).isZero();
    }

    @Test
    void aResumeForAPlayerTheDirectoryNoLongerKnowsJoinsANewOne() {
        directory.createPlayer("p2-7", "n2", new byte[]{1});
        directory.removePlayer("p2-7", new OwnerRecord("n2", 1)); // it left the world for good
        handle(new NodeInput.FromGateway("g1", new ToNode.Attach(4, "ana", "p2-7")));

        assertThat(frames()).singleElement().isInstanceOfSatisfying(ToGateway.Attached.class, a -> {
            assertThat(a.connectionId()).isEqualTo(4);
            assertThat(a.resumed()).isFalse();
            assertThat(a.playerId()).isNotEqualTo("p2-7");
        });
        assertThat(world.players()).hasSize(1);
        assertThat(core.counters().resumesNotHere()).isZero();
    }
}
