package io.worldmesh.node.core;

/**
 * What a node core counts as it goes: read on its thread by {@code /audit}, the cluster checks and tests, and by
 * the metrics scrape ({@code worldmesh_node_*}), which may see a value a tick old. Plain fields: the core is
 * single-threaded.
 */
public final class NodeCounters {
    long joins;
    long handoversStarted;
    long arrived;
    long departed;
    long fenced;
    long heldAtCapacity;
    long inputsUnrouted;
    long inputsWhileFrozen;
    long directoryFailures;
    long tickFailures;
    long idCollisions;
    long removalsRetried;
    long removalsAbandoned;
    long leasesLost;
    long leasesRegained;
    long leaseRefusals;
    long inputsWhileFenced;
    long checkpoints;
    long sessionsCheckpointed;
    long checkpointWritesFenced;
    long checkpointFailures;
    long playersRestored;
    long playersRecovered;
    long restoresSkipped;
    long lostReservationsRestored;
    long resumesNotHere;
    long restoresRefused;
    long nodesTakenOver;
    long cellsAdopted;
    long cellsRestored;
    long groundRefused;
    long cutsRefused;
    long commitsWaitedForCut;
    long gatewaysLapsed;
    long gatewayRestarts;
    long gatewayPlayersDisconnected;
    long gatewayPlayersReconnected;
    long framesWhileUnlinked;

    public long joins() { return joins; }
    public long handoversStarted() { return handoversStarted; }
    public long arrived() { return arrived; }
    public long departed() { return departed; }
    public long fenced() { return fenced; }
    public long heldAtCapacity() { return heldAtCapacity; }
    public long inputsUnrouted() { return inputsUnrouted; }
    public long inputsWhileFrozen() { return inputsWhileFrozen; }
    public long directoryFailures() { return directoryFailures; }
    public long tickFailures() { return tickFailures; }
    public long idCollisions() { return idCollisions; }
    /** Removals of a departed player's owner record tried again after a failure. */
    public long removalsRetried() { return removalsRetried; }
    /** Owed removals given up at the bound. */
    public long removalsAbandoned() { return removalsAbandoned; }
    /** Times the node stopped simulating because it could not renew its lease in time. */
    public long leasesLost() { return leasesLost; }
    /** Times it held its lease again and went back to simulating. */
    public long leasesRegained() { return leasesRegained; }
    /** Holds refused: another incarnation of this node id holds the lease, or this one's players were taken over. */
    public long leaseRefusals() { return leaseRefusals; }
    public long inputsWhileFenced() { return inputsWhileFenced; }
    /** Checkpoint batches sent. */
    public long checkpoints() { return checkpoints; }
    /** Adopted or reconciled cells whose entities came back from their last cut (the rest started afresh). */
    public long cellsRestored() { return cellsRestored; }
    /** Cells whose ground record this game refused (corrupt, unknown version or property): started afresh. */
    public long groundRefused() { return groundRefused; }
    /** Cuts refused whole: this incarnation was taken over. */
    public long cutsRefused() { return cutsRefused; }
    /** Commits that waited for a cut covering what the handed-over player's state reflects. */
    public long commitsWaitedForCut() { return commitsWaitedForCut; }
    /** Player states the checkpoints wrote. */
    public long sessionsCheckpointed() { return sessionsCheckpointed; }
    /** Checkpoint writes the directory refused as stale (another owner or epoch). */
    public long checkpointWritesFenced() { return checkpointWritesFenced; }
    public long checkpointFailures() { return checkpointFailures; }
    /** Players taken back from this node's previous incarnation at start and put back from their checkpoint. */
    public long playersRestored() { return playersRestored; }
    /** Restored players whose client a gateway was found holding, and told {@code recovered}. */
    public long playersRecovered() { return playersRecovered; }
    /** Players named this node's at start that were not its to restore (handed on, gone, taken by another). */
    public long restoresSkipped() { return restoresSkipped; }
    /** COMMITs for a reservation an earlier incarnation held, confirmed by restoring the player from the commit. */
    public long lostReservationsRestored() { return lostReservationsRestored; }
    /** Resumes refused because the player was elsewhere in the world (staged, restoring, another node). */
    public long resumesNotHere() { return resumesNotHere; }
    /** Players taken over at start whose checkpoint could not be put back (unreadable, or its cell not here). */
    public long restoresRefused() { return restoresRefused; }
    /** Dead nodes whose cells this node adopted (and whose players it then took over). */
    public long nodesTakenOver() { return nodesTakenOver; }
    public long cellsAdopted() { return cellsAdopted; }
    /** Gateways whose link stayed down for the grace: their players' resume windows started. */
    public long gatewaysLapsed() { return gatewaysLapsed; }
    /** Gateways that linked again from a new start: the old start's connections were dropped. */
    public long gatewayRestarts() { return gatewayRestarts; }
    /** Players disconnected because their gateway lapsed or started again. */
    public long gatewayPlayersDisconnected() { return gatewayPlayersDisconnected; }
    /** Players connected again when their lapsed gateway came back from the same start. */
    public long gatewayPlayersReconnected() { return gatewayPlayersReconnected; }
    /** Frames for a gateway dropped because its link was down (the transport counts what a dying link lost). */
    public long framesWhileUnlinked() { return framesWhileUnlinked; }
}
