package io.worldmesh.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos run as the suite can afford it on 2 cores: 60 bots, a 3 s lease, and each kind of fault at least once
 * (kill -9 a node, SIGSTOP a node past its lease, kill -9 a gateway, restart Redis, Redis down past the leases, a
 * node's network broken). It asserts the safety fields, the orbs' total among them, and that every fault healed; the
 * timings are printed, not asserted (a shared machine's are not the product's).
 */
class ChaosTest {

    @Test
    void everyKindOfFaultHealsWithNothingLostOrOwnedTwice(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("chaos.log");
        ChaosRun.Settings settings = new ChaosRun.Settings(Duration.ofSeconds(120), 60, Duration.ofSeconds(10),
                List.of(Fault.values()), Duration.ofSeconds(3), Duration.ofSeconds(1), 3, 2, "orbs");
        ChaosReport report;
        try (PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            report = new ChaosReport(ChaosRun.run(settings, redis(), out, System.out));
        }
        Table.print(System.out, "chaos (suite)", report.faultRows());
        Table.print(System.out, "chaos (suite) summary", report.summaryRows());
        String context = report.json() + "\nin " + LogTail.of(log);

        var json = report.json();
        EnumSet<Fault> injected = EnumSet.noneOf(Fault.class);
        json.get("faults_by_kind").fieldNames().forEachRemaining(k -> injected.add(Fault.parse(k)));
        assertThat(injected).as(context).containsExactlyInAnyOrder(Fault.values());
        assertThat(json.get("faults_not_healed").asLong()).as(context).isZero();
        assertThat(json.get("lost_players").asLong()).as(context).isZero();
        assertThat(json.get("duplicate_owners").asLong()).as(context).isZero();
        assertThat(json.get("inputs_applied_twice").asLong()).as(context).isZero();
        // A dead node's cells come back from the same cut as its players (docs/failures.md, "Orbs on the ground and
        // orbs in hands"), so the orbs' total holds across every failover.
        assertThat(json.get("orbs_duplicated").asLong()).as(context).isZero();
        assertThat(json.get("orbs_vanished").asLong()).as(context).isZero();
        assertThat(json.get("safe").asBoolean()).as(context).isTrue();
        assertThat(json.get("inputs_lost").asLong()).as(context).isZero();
        assertThat(json.get("quiet_audits").asLong()).as("the audits found quiet moments " + context).isPositive();
        assertThat(json.get("max_rollback_ms").asLong()).as(context)
                .isLessThanOrEqualTo(json.get("rollback_bound_ms").asLong());
        assertThat(json.get("recoveries").asLong()).as("node faults made bots recover " + context).isPositive();
        assertThat(json.get("reconnects").asLong()).as("a gateway's death made bots reconnect " + context).isPositive();
    }

    private static String redis() {
        String redis = LocalCluster.findRedis();
        assertThat(redis).as("redis-server on PATH (apt-get install redis-server)").isNotNull();
        return redis;
    }
}
