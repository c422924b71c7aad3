package io.worldmesh.directory.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.worldmesh.directory.CommitOutcome;
import io.worldmesh.directory.CreateOutcome;
import io.worldmesh.directory.Decision;
import io.worldmesh.directory.Directory;
import io.worldmesh.directory.DirectoryContract;
import io.worldmesh.directory.FencedWrite;
import io.worldmesh.directory.HandoverCommit;
import io.worldmesh.directory.OwnerRecord;
import io.worldmesh.directory.OwnershipChange;
import io.worldmesh.directory.SettingsCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The directory contract against a real redis-server, and what is particular to Redis: keys, TTLs, scripts. */
class RedisDirectoryTest extends DirectoryContract {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private static RedisServerFixture redis;
    private static RedisClient inspectorClient;
    private static StatefulRedisConnection<String, byte[]> inspector;

    private String namespace;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerFixture.start();
        inspectorClient = RedisClient.create(redis.uri());
        inspector = inspectorClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    @AfterAll
    static void stopRedis() {
        if (inspector != null) {
            inspector.close();
            inspectorClient.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Directory newDirectory() {
        namespace = "test" + NAMESPACES.incrementAndGet();
        return RedisDirectory.connect(redis.uri(), namespace);
    }

    private static RedisCommands<String, byte[]> raw() {
        return inspector.sync();
    }

    private Set<String> keysOfThisTest() {
        Set<String> keys = new HashSet<>();
        ScanIterator.scan(raw(), ScanArgs.Builder.matches(namespace + ":*").limit(100)).forEachRemaining(keys::add);
        return keys;
    }

    private OwnerRecord create(String player) {
        return ((CreateOutcome.Created) get(dir.createPlayer(player, "n1", new byte[]{1}))).owner();
    }

    @Test
    void decisionsExpireOnlyWellAfterEveryHandoverTimeout() {
        OwnerRecord owner = create("p1");
        get(dir.commit(new HandoverCommit("p1", "committed", owner, "n2", new byte[]{2})));
        get(dir.resolve("p1", "aborted"));
        RedisKeys keys = new RedisKeys(namespace);
        for (String token : List.of("committed", "aborted")) {
            long ttl = raw().ttl(keys.decision("p1", token));
            assertThat(ttl).as("TTL of the %s decision, seconds", token).isBetween(3_500L, 3_600L);
        }
        assertThat(raw().ttl(keys.owner("p1"))).as("owner records never expire").isEqualTo(-1L);
    }

    /**
     * A player's keys share its hash tag. The sets of the players each node owns carry the node's tag, so the scripts
     * that keep them (create, commit, takeover, removal) span two slots: fine on the single primary the directory
     * requires (docs/failures.md), and what would have to change before the store could be sharded.
     */
    @Test
    void everyKeyOfAPlayerCarriesItsHashTagAndNothingElseDoes() {
        OwnerRecord owner = create("p7");
        create("p8");
        get(dir.commit(new HandoverCommit("p7", "t1", owner, "n2", new byte[]{2})));
        get(dir.resolve("p7", "t2"));
        get(dir.writeSession("p7", 2, new byte[]{3}));

        String p = namespace + ":";
        assertThat(keysOfThisTest()).containsExactlyInAnyOrder(
                p + "owner:{p7}", p + "session:{p7}", p + "decision:{p7}:t1", p + "decision:{p7}:t2",
                p + "owner:{p8}", p + "session:{p8}", p + "audit", p + "owned:{n1}", p + "owned:{n2}");
        Set<Integer> slotsOfP7 = keysOfThisTest().stream().filter(k -> k.contains("{p7}"))
                .map(SlotHash::getSlot).collect(Collectors.toSet());
        assertThat(slotsOfP7).containsExactly(SlotHash.getSlot("p7"));
    }

    @Test
    void bracesInAPlayerIdNeitherSplitItsKeysNorCollideWithAnotherPlayer() {
        // Unescaped, player "a}:b" with token "c" and player "a" with token "b}:c" would share a decision key.
        create("a}:b");
        create("a");
        assertThat(get(dir.resolve("a", "b}:c"))).isEqualTo(Decision.ABORT);
        assertThat(get(dir.decision("a}:b", "c"))).isEmpty();
        OwnerRecord owner = new OwnerRecord("n1", 1);
        assertThat(get(dir.commit(new HandoverCommit("a}:b", "c", owner, "n2", new byte[]{2}))))
                .isEqualTo(new CommitOutcome.Committed(new OwnerRecord("n2", 2)));

        Set<Integer> slots = keysOfThisTest().stream().filter(k -> k.contains("{a%7D:b}"))
                .map(SlotHash::getSlot).collect(Collectors.toSet());
        assertThat(slots).hasSize(1);
        assertThat(keysOfThisTest().stream().filter(k -> k.contains("{a%7D:b}"))).hasSize(3);
    }

    @Test
    void namespacesKeepClustersOnOneServerApart() {
        create("p1");
        get(dir.registerSettings(settings("orbs"), true));
        try (RedisDirectory other = RedisDirectory.connect(redis.uri(), namespace + "-other")) {
            assertThat(get(other.owner("p1"))).isEmpty();
            assertThat(get(other.registerSettings(settings("tag"), true))).isInstanceOf(SettingsCheck.Agreed.class);
            assertThat(get(other.audit(10))).isEmpty();
        }
        assertThat(get(dir.owner("p1"))).contains(new OwnerRecord("n1", 1));
    }

    @Test
    void stateIsStoredAsItsVeryBytes() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        get(dir.createPlayer("p1", "n1", everyByte));
        assertThat(get(dir.session("p1")).orElseThrow().state()).containsExactly(everyByte);
        assertThat(raw().hget(new RedisKeys(namespace).session("p1"), "state")).containsExactly(everyByte);
    }

    @Test
    void scriptsRunAgainAfterRedisForgotThem() {
        OwnerRecord owner = create("p1");
        raw().scriptFlush(); // what a restarted server looks like: its script cache is empty
        assertThat(get(dir.commit(new HandoverCommit("p1", "t1", owner, "n2", new byte[]{2}))))
                .isEqualTo(new CommitOutcome.Committed(new OwnerRecord("n2", 2)));
        assertThat(get(dir.writeSession("p1", 2, new byte[]{3})))
                .isEqualTo(new FencedWrite.Written());
    }

    @Test
    void theAuditStreamIsTrimmedAndKeepsTheNewestEntries() {
        RedisDirectorySettings small = RedisDirectorySettings.DEFAULTS.withAuditMaxLength(10);
        String ns = namespace + "-trimmed";
        try (RedisDirectory trimmed = RedisDirectory.connect(redis.uri(), ns, small)) {
            for (int i = 0; i < 500; i++) {
                get(trimmed.createPlayer("p" + i, "n1", new byte[]{1}));
            }
            // MAXLEN ~ trims whole stream nodes (100 entries each), so about 10 remain, never all 500.
            assertThat(raw().xlen(ns + ":audit")).isBetween(10L, 200L);
            List<String> newest = new ArrayList<>();
            for (OwnershipChange change : get(trimmed.audit(3))) {
                newest.add(change.playerId());
            }
            assertThat(newest).containsExactly("p497", "p498", "p499");
        }
    }
}
