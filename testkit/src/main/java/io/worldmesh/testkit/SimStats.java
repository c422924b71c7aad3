package io.worldmesh.testkit;

/** What one run counts as it goes: faults injected and what the cluster did. Plain fields: one thread per run. */
final class SimStats {
    long steps;
    long peerDropped;
    long peerDuplicated;
    long stragglers;
    long directoryFailures;
    long disconnects;
    long nodeHangs;
    long handoversCommitted;
    long handoversAborted;
    long handoversFenced;
    long inputsSent;
    long inputsApplied;
    long nodeCrashes;
    long nodeExits;
    long nodeRestarts;
    long gatewayCrashes;
    long directoryOutages;
    long inputsRolledBack;
}
