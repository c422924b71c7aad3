package io.worldmesh.directory.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture starts redis-server as the handover rules require of the directory's store, and cleans up. */
class RedisServerFixtureTest {

    @Test
    void theServerIsASinglePrimaryThatSyncsEveryWriteAndIsGoneAfterClose() throws IOException {
        Path dataDir;
        try (RedisServerFixture redis = RedisServerFixture.start()) {
            dataDir = redis.dataDir();
            RedisClient client = RedisClient.create(redis.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                Map<String, String> config = c.sync().configGet("appendonly", "appendfsync", "save", "dir");
                assertThat(config).containsEntry("appendonly", "yes").containsEntry("appendfsync", "always")
                        .containsEntry("save", "");
                assertThat(Path.of(config.get("dir"))).isEqualTo(dataDir.toRealPath());
                assertThat(c.sync().info("replication")).contains("role:master").contains("connected_slaves:0");
            } finally {
                client.shutdown();
            }
        }
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void aMissingRedisServerFailsNamingTheDebianPackage() {
        assertThatThrownBy(() -> RedisServerFixture.start("/nonexistent"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("redis-server is not on PATH")
                .hasMessageContaining("apt-get install redis-server");
    }
}
