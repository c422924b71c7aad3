package io.worldmesh.node.core;

import io.worldmesh.directory.Directory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Drives a node core in a test: one input, then the answers to the directory calls it makes, at once and in order,
 * until it asks for nothing more, all at the test's clock (an answer given as null is the test's to deliver). Every effect is kept in {@code seen}.
 */
final class DirectoryAtHand {

    private DirectoryAtHand() {
    }

    /** Answers a call by running it on {@code directory}. */
    static Function<NodeEffect.CallDirectory, NodeInput> answeredBy(Directory directory) {
        return c -> new NodeInput.DirectoryAnswered(c.opId(), c.op().run(directory).toCompletableFuture().join());
    }

    static void handle(NodeCore core, NodeInput input, long nowNanos,
                       Function<NodeEffect.CallDirectory, NodeInput> answer, List<NodeEffect> seen) {
        Deque<NodeInput> queue = new ArrayDeque<>(List.of(input));
        while (!queue.isEmpty()) {
            for (NodeEffect e : core.handle(queue.poll(), nowNanos, nowNanos / 1_000_000)) {
                seen.add(e);
                if (e instanceof NodeEffect.CallDirectory c) {
                    NodeInput answered = answer.apply(c);
                    if (answered != null) { // null: the test delivers it later
                        queue.add(answered);
                    }
                }
            }
        }
    }
}
