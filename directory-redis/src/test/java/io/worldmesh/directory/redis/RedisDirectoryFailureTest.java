package io.worldmesh.directory.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.worldmesh.directory.CommitOutcome;
import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.Decision;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.OwnerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a caller sees when Redis stalls or goes away: every call returns at once and completes exceptionally within
 * the command timeout, nothing queues without bound, and the directory works again once the server is back. Its
 * own server, since these tests stop it.
 */
class RedisDirectoryFailureTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private static RedisServerFixture redis;
    private final List<RedisDirectory> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServerFixture.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void serverIsUp() {
        if (!redis.isRunning()) {
            redis.restart();
        }
    }

    @AfterEach
    void closeAll() {
        redis.thawIfFrozen();
        opened.forEach(RedisDirectory::close);
    }

    private RedisDirectory connect(RedisDirectorySettings settings) {
        RedisDirectory dir = RedisDirectory.connect(redis.uri(), "failure" + NAMESPACES.incrementAndGet(), settings);
        opened.add(dir);
        return dir;
    }

    private static <T> T get(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Throwable failureOf(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aStalledServerFailsCallsWithinTheTimeoutWithoutBlockingTheCaller() {
        RedisDirectory dir = connect(RedisDirectorySettings.DEFAULTS.withCommandTimeout(TIMEOUT));
        OwnerRecord owner = ((CreateOutcome.Created) get(dir.createPlayer("p1", "n1", new byte[]{1}))).owner();
        redis.freeze();

        long start = System.nanoTime();
        CompletableFuture<CommitOutcome> commit =
                dir.commit(new HandoverCommit("p1", "t1", owner, "n2", new byte[]{2})).toCompletableFuture();
        CompletableFuture<Optional<OwnerRecord>> read = dir.owner("p1").toCompletableFuture();
        long returnedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(returnedMillis).as("the calls return at once").isLessThan(200);
        assertThat(commit).isNotDone();
        assertThat(failureOf(commit)).isInstanceOf(RedisCommandTimeoutException.class);
        assertThat(failureOf(read)).isInstanceOf(RedisCommandTimeoutException.class);
        long failedMillis = (System.nanoTime() - start) / 1_000_000;
        // The timer that fires timeouts ticks every 100 ms; give it and a loaded machine some room.
        assertThat(failedMillis).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + 1_000);

        redis.thaw();
        // A commit that timed out decides nothing: resolve tells everyone what happened (here, it did commit).
        assertThat(get(dir.resolve("p1", "t1"))).isEqualTo(Decision.COMMIT);
    }

    @Test
    void callsBeyondTheQueueBoundFailAtOnceInsteadOfQueueing() {
        int bound = 4;
        RedisDirectory dir = connect(RedisDirectorySettings.DEFAULTS.withCommandTimeout(Duration.ofSeconds(10))
                .withRequestQueueSize(bound));
        get(dir.owner("warm-up"));
        redis.freeze();
        List<CompletableFuture<Optional<OwnerRecord>>> calls = new ArrayList<>();
        for (int i = 0; i < 3 * bound; i++) {
            calls.add(dir.owner("p" + i).toCompletableFuture());
        }
        // Long before the 10 s timeout, everything past the bound has been refused.
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(calls.stream().filter(CompletableFuture::isCompletedExceptionally).count())
                        .isGreaterThanOrEqualTo(2L * bound));
        calls.stream().filter(CompletableFuture::isCompletedExceptionally)
                .forEach(c -> assertThat(failureOf(c)).isInstanceOf(RedisException.class)
                        .hasMessageContaining("size exceeded"));

        redis.thaw();
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.stream().allMatch(CompletableFuture::isDone));
        assertThat(calls.stream().filter(c -> !c.isCompletedExceptionally()).count()).isEqualTo(bound);
        assertThat(get(dir.owner("p0"))).isEmpty();
    }

    @Test
    void aStoppedServerFailsCallsAtOnceAndTheDirectoryWorksAgainWhenItIsBack() {
        RedisDirectory dir = connect(RedisDirectorySettings.DEFAULTS.withCommandTimeout(TIMEOUT));
        OwnerRecord owner = ((CreateOutcome.Created) get(dir.createPlayer("p1", "n1", new byte[]{1}))).owner();
        redis.stop();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            long start = System.nanoTime();
            Throwable failure = failureOf(dir.owner("p1"));
            assertThat(failure).isInstanceOf(RedisException.class).hasMessageContaining("not connected");
            assertThat((System.nanoTime() - start) / 1_000_000).as("refused at once").isLessThan(TIMEOUT.toMillis());
        });

        redis.restart();
        // Lettuce reconnects in the background (pauses up to maxReconnectDelay, 1 s).
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get(dir.owner("p1")).isPresent());
        assertThat(get(dir.owner("p1"))).as("the owner record survived the restart (appendfsync always)")
                .contains(owner);
        // The restarted server has forgotten the scripts; the commit loads its own again.
        assertThat(get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", new byte[]{2}))))
                .isEqualTo(new CommitOutcome.Committed(new OwnerRecord("n2", 2)));
    }

    @Test
    void connectingToNoServerFailsWithinTheTimeout() {
        String nowhere = "redis://127.0.0.1:" + redis.port();
        redis.stop();
        long start = System.nanoTime();
        assertThatThrownBy(() -> RedisDirectory.connect(nowhere, "nowhere",
                RedisDirectorySettings.DEFAULTS.withCommandTimeout(TIMEOUT)))
                .isInstanceOf(RedisConnectionException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(TIMEOUT.toMillis() + 2_000);
    }
}
