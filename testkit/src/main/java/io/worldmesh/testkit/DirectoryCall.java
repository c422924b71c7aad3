package io.worldmesh.testkit;

import io.worldmesh.node.core.DirectoryOp;

/**
 * One call to the directory on its way. {@code caller} is a node's number, or {@link SimDirectory#GATEWAY}; its
 * answer is due at {@code answerAtNanos}, or -1 when the caller is to time out instead.
 */
record DirectoryCall(int caller, long opId, DirectoryOp op, long answerAtNanos) {
}
