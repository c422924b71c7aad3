package io.worldmesh.directory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * What every process of one cluster must agree on, kept in the directory. The first process to start writes
 * them; every later one compares its own and refuses to start when they differ.
 *
 * @param clusterId      random id of this cluster; resume tokens are bound to it
 * @param game           the game every node runs
 * @param cellsX         grid columns
 * @param cellsZ         grid rows
 * @param cellSizeM      cell edge, metres
 * @param tickRateHz     ticks per second
 * @param tick0Millis    wall-clock time of tick 0, epoch milliseconds: tick numbers are the same on every node
 * @param leaseTtlMillis how long each hold of a node's lease lasts; one value for the whole cluster, since the grace
 *                       after a directory outage (one TTL, in which owners renew before anyone takes over) holds
 *                       only if every owner renews within it. 0: written by a process that holds no lease (the
 *                       embedded world), and not compared
 * @param secretBase64   the cluster secret that signs resume and handover tokens
 */
public record ClusterSettings(String clusterId, String game, int cellsX, int cellsZ, double cellSizeM,
                              int tickRateHz, long tick0Millis, long leaseTtlMillis, String secretBase64) {

    public ClusterSettings {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(game, "game");
        Objects.requireNonNull(secretBase64, "secretBase64");
        if (leaseTtlMillis < 0) {
            throw new IllegalArgumentException("the lease TTL must be >= 0 ms, was " + leaseTtlMillis);
        }
        if (Base64.getDecoder().decode(secretBase64).length < 16) {
            throw new IllegalArgumentException("the cluster secret must be at least 16 bytes");
        }
    }

    public byte[] secret() {
        return Base64.getDecoder().decode(secretBase64);
    }

    /**
     * Every setting where {@code mine} (a process's own) differs from these (the directory's), by name;
     * {@code compareSecret} is false for a process that was given no secret of its own and takes the cluster's.
     * The cluster id and tick 0 belong to the cluster and are always taken from the directory.
     */
    public List<String> differences(ClusterSettings mine, boolean compareSecret) {
        List<String> out = new ArrayList<>();
        if (!game.equals(mine.game)) out.add("game: cluster runs '" + game + "', this process '" + mine.game + "'");
        if (cellsX != mine.cellsX || cellsZ != mine.cellsZ) {
            out.add("grid: cluster is " + cellsX + "x" + cellsZ + ", this process " + mine.cellsX + "x" + mine.cellsZ);
        }
        if (Double.compare(cellSizeM, mine.cellSizeM) != 0) {
            out.add("cell size: cluster " + cellSizeM + " m, this process " + mine.cellSizeM + " m");
        }
        if (tickRateHz != mine.tickRateHz) {
            out.add("tick rate: cluster " + tickRateHz + " Hz, this process " + mine.tickRateHz + " Hz");
        }
        if (leaseTtlMillis > 0 && mine.leaseTtlMillis > 0 && leaseTtlMillis != mine.leaseTtlMillis) {
            out.add("lease TTL: cluster " + leaseTtlMillis + " ms, this process " + mine.leaseTtlMillis + " ms");
        }
        if (compareSecret && !secretBase64.equals(mine.secretBase64)) {
            out.add("secret: WORLDMESH_SECRET differs from the cluster's");
        }
        return out;
    }

    @Override
    public String toString() {
        return "ClusterSettings[" + clusterId + " game=" + game + " grid=" + cellsX + "x" + cellsZ + " cell="
                + cellSizeM + " tick=" + tickRateHz + "Hz tick0=" + tick0Millis + " lease=" + leaseTtlMillis
                + "ms secret=<hidden>]";
    }
}
