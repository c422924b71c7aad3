package io.worldmesh.testkit;

/**
 * What one run that held every rule did. Handover counts are the sources' reports; {@code traceHash} digests every
 * event and the final worlds, so that two runs of one seed can be compared. {@code nodeHangs}: hangs injected;
 * {@code leaseLapses}: times a node could not renew its lease in time and was fenced; {@code nodeCrashes}: kill -9s
 * injected; {@code nodeExits}: nodes that ended themselves, taken over while fenced; {@code nodeRestarts}: starts
 * after either; {@code nodesTakenOver}: dead nodes whose cells and players another node took; {@code playersRestored}:
 * players put back from a checkpoint, by a taker or a restarted node's reconcile; {@code inputsRolledBack}: inputs
 * applied by a copy that a restore then replaced with an older checkpoint (lost within the checkpoint window).
 */
public record SimulationResult(long seed, String game, long steps, long virtualNanos, long handoversCommitted,
                               long handoversAborted, long handoversFenced, long inputsSent, long inputsApplied,
                               long peerMessagesDropped, long peerMessagesDuplicated, long stragglers,
                               long directoryFailures, long disconnects, long nodeHangs, long leaseLapses,
                               long nodeCrashes, long nodeExits, long nodeRestarts, long gatewayCrashes,
                               long directoryOutages, long nodesTakenOver, long playersRestored,
                               long inputsRolledBack, long traceHash) {
}
