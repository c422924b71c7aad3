package io.worldmesh.node.core;

import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.engine.World;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ATTACH whose answer waits on the directory may outlive the gateway start that sent it. The new start numbers
 * its connections from 1 again, so the answer would reach another client (a new player welcomed on someone else's
 * connection, or a playing client refused). It is dropped, and a player created for it leaves the directory again.
 */
class AttachAcrossGatewayRestartTest {

    private final OneCellNode node = OneCellNode.running();
    private final World world = node.world();
    private final NodeCore core = node.core();

    @BeforeEach
    void linked() {
        core.handle(new NodeInput.GatewayLinked("g1", 11), 0, 0);
    }

    private NodeEffect.CallDirectory attach(String resume) {
        return core.handle(new NodeInput.FromGateway("g1", new ToNode.Attach(5, "ana", resume)), 0, 0).stream()
                .filter(NodeEffect.CallDirectory.class::isInstance).map(NodeEffect.CallDirectory.class::cast)
                .findFirst().orElseThrow();
    }

    private static List<ToGateway> frames(List<NodeEffect> effects) {
        return effects.stream().filter(NodeEffect.ToGatewayFrame.class::isInstance)
                .map(e -> ((NodeEffect.ToGatewayFrame) e).frame()).toList();
    }

    @Test
    void aCreateAnsweredAfterTheGatewayStartedAgainWelcomesNobodyAndIsUndone() {
        NodeEffect.CallDirectory create = attach(null);
        assertThat(create.op()).isInstanceOf(DirectoryOp.CreatePlayer.class);
        core.handle(new NodeInput.GatewayLinked("g1", 12), 0, 0); // killed and started again meanwhile

        List<NodeEffect> effects = core.handle(new NodeInput.DirectoryAnswered(create.opId(),
                new CreateOutcome.Created(new OwnerRecord("n1", 1))), 0, 0);
        assertThat(frames(effects)).as("connection 5 of the new start is another client's").isEmpty();
        assertThat(world.players()).isEmpty();
        assertThat(effects).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(NodeEffect.CallDirectory.class,
                c -> assertThat(c.op()).isInstanceOf(DirectoryOp.RemovePlayer.class)));
    }

    @Test
    void aCreateAnsweredForTheSameStartWelcomesItsClient() {
        NodeEffect.CallDirectory create = attach(null);
        List<NodeEffect> effects = core.handle(new NodeInput.DirectoryAnswered(create.opId(),
                new CreateOutcome.Created(new OwnerRecord("n1", 1))), 0, 0);
        assertThat(frames(effects)).singleElement().isInstanceOf(ToGateway.Attached.class);
    }

    @Test
    void aResumeCheckAnsweredAfterTheGatewayStartedAgainIsDropped() {
        NodeEffect.CallDirectory check = attach("p2-7");
        assertThat(check.op()).isEqualTo(new DirectoryOp.ReadOwner("p2-7"));
        core.handle(new NodeInput.GatewayLinked("g1", 12), 0, 0);

        List<NodeEffect> effects = core.handle(new NodeInput.DirectoryAnswered(check.opId(),
                Optional.of(new OwnerRecord("n2", 1))), 0, 0);
        assertThat(frames(effects)).isEmpty();
        assertThat(world.players()).isEmpty();
    }
}
