package io.worldmesh.testkit;

/**
 * What one run that held every rule did. Handover counts are the sources' reports; {@code traceHash} digests every
 * event and the final worlds, so that two runs of one seed can be compared. {@code nodeHangs}: hangs injected;
 * {@code leaseLapses}: times a node could not renew its lease in time and was fenced (and came back).
 */
public record SimulationResult(long seed, String game, long steps, long virtualNanos, long handoversCommitted,
                               long handoversAborted, long handoversFenced, long inputsSent, long inputsApplied,
                               long peerMessagesDropped, long peerMessagesDuplicated, long stragglers,
                               long directoryFailures, long disconnects, long nodeHangs, long leaseLapses,
                               long traceHash) {
}
