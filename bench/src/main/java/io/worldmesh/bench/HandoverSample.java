package io.worldmesh.bench;

/**
 * One handover the benchmark started through a node's hook, as the source node reported it. Phase durations are
 * the source's ({@code HandoverReport}), in nanoseconds, -1 for a phase that did not happen; {@code startNanos}
 * and {@code endNanos} are the benchmark's own clock around the hook's request.
 *
 * @param problem  null for a handover that committed and was cleaned up; otherwise what went wrong
 */
record HandoverSample(String playerId, String fromNode, String toNode, long startNanos, long endNanos,
                      long prepareNanos, long commitNanos, long routeNanos, long totalNanos, String problem) {

    boolean committed() {
        return problem == null;
    }

    static HandoverSample failed(String playerId, String fromNode, long startNanos, long endNanos, String problem) {
        return new HandoverSample(playerId, fromNode, null, startNanos, endNanos, -1, -1, -1, -1, problem);
    }
}
