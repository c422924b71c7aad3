package io.worldmesh.testkit;

import io.worldmesh.node.core.DirectoryOp;

/**
 * One call to the directory on its way. {@code caller} is a node's number, or {@link SimDirectory#GATEWAY}, and
 * {@code callerLife} the life of its process; its answer is due at {@code answerAtNanos}, or -1 when the caller is to
 * time out instead, at {@code timeoutAtNanos}.
 */
record DirectoryCall(int caller, long callerLife, long opId, DirectoryOp op, long answerAtNanos,
                     long timeoutAtNanos) {
}
