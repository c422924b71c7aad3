package io.worldmesh.app;

import io.worldmesh.directory.CellAssignment;
import io.worldmesh.directory.ClusterSettings;
import io.worldmesh.directory.Directory;
import io.worldmesh.directory.SettingsCheck;
import io.worldmesh.directory.redis.RedisAuth;
import io.worldmesh.directory.redis.RedisDirectory;
import io.worldmesh.directory.redis.RedisDirectorySettings;
import io.worldmesh.engine.WorldSettings;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How a process joins a cluster through its directory: it offers its own settings, takes the cluster's (the first
 * process's), and refuses to start, naming each difference, when they disagree.
 */
final class ClusterJoin {

    /** The directory namespace every process of a cluster shares. */
    static final String NAMESPACE = "worldmesh";

    private ClusterJoin() {
    }

    /**
     * Connects to the directory, trying again with a growing pause for up to {@code wait}: processes of a cluster
     * start in any order, and a Redis that is starting, or a host too busy to answer within the command timeout,
     * is not a reason to give up at once. Says once on stderr that it waits; throws the last failure at the end.
     */
    static Directory connect(String uri, java.time.Duration wait, String who) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long pauseMillis = 100;
        boolean said = false;
        while (true) {
            try {
                return RedisDirectory.connect(uri, NAMESPACE, RedisDirectorySettings.DEFAULTS,
                        RedisAuth.fromEnvironment(System.getenv()));
            } catch (RuntimeException e) {
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) > deadline) {
                    throw e;
                }
                if (!said) {
                    System.err.println("worldmesh " + who + ": waiting for the directory at " + RedisAuth.redact(uri)
                            + " (" + e.getMessage() + ")");
                    said = true;
                }
                Thread.sleep(pauseMillis);
                pauseMillis = Math.min(2_000, pauseMillis * 2);
            }
        }
    }

    /**
     * The cluster's settings; exits the process with a message when this process's own differ. {@code leaseTtl}: the
     * node's lease TTL, which every node of the cluster must share.
     */
    static ClusterSettings settings(Directory directory, String game, WorldSettings world, Duration leaseTtl) {
        Optional<byte[]> given = secretFromEnvironment();
        byte[] secret = given.orElseGet(() -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return key;
        });
        ClusterSettings mine = new ClusterSettings(UUID.randomUUID().toString(), game, world.cellsX(), world.cellsZ(),
                world.cellSizeM(), world.tickRateHz(), System.currentTimeMillis(), leaseTtl.toMillis(),
                Base64.getEncoder().encodeToString(secret));
        SettingsCheck check = join(directory.registerSettings(mine, given.isPresent()));
        if (check instanceof SettingsCheck.Differs d) {
            throw new Refused("this process's settings differ from the cluster's (" + d.cluster().clusterId()
                    + "):\n  " + String.join("\n  ", d.differences()));
        }
        return check.cluster();
    }

    /** The cell assignment, proposing stripes over {@code nodes} if there is none yet. */
    static CellAssignment assignment(Directory directory, ClusterSettings cluster, List<String> nodes) {
        return join(directory.proposeAssignment(CellAssignment.stripes(cluster.cellsX(), cluster.cellsZ(), nodes)));
    }

    static Optional<byte[]> secretFromEnvironment() {
        String env = System.getenv("WORLDMESH_SECRET");
        return env != null && env.length() >= 16 ? Optional.of(env.getBytes(StandardCharsets.UTF_8))
                : Optional.empty();
    }

    static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new Refused("the directory did not answer: " + e.getMessage());
        }
    }

    /** A reason not to start, printed as it is. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
