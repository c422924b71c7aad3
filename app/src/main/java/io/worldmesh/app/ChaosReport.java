package io.worldmesh.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldmesh.client.SwarmReport;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a chaos run found, as a table and as the one JSON line people script against (its field names are an
 * interface). The figures come from the bots, the directory and the nodes' audits, never from the nodes' counters.
 */
final class ChaosReport {

    /** What a checkpoint's write may take on a busy machine, in the rollback bound. */
    static final long WRITE_ALLOWANCE_MS = 250;
    static final long NODE_RECOVERY_TARGET_MS = 10_000;
    static final long CLIENT_RESUME_TARGET_MS = 5_000;

    private final ChaosRun.Result r;

    ChaosReport(ChaosRun.Result result) {
        this.r = result;
    }

    /** The most a recovery may set a player back: one checkpoint interval, the write, one tick. */
    long rollbackBoundMillis() {
        return r.settings().checkpointInterval().toMillis() + WRITE_ALLOWANCE_MS + 1000L / r.tickRateHz();
    }

    long maxRollbackMillis() {
        return r.swarm().recoveries().maxRollbackTicks() * 1000L / r.tickRateHz();
    }

    long orbsDuplicated() {
        return r.orbsStart() < 0 ? 0 : Math.max(0, r.orbsEnd() - r.orbsStart());
    }

    long orbsVanished() {
        return r.orbsStart() < 0 ? 0 : Math.max(0, r.orbsStart() - r.orbsEnd());
    }

    long notHealed() {
        return r.faults().stream().filter(f -> !f.healed()).count();
    }

    /** Nothing lost or duplicated, every fault healed, and no recovery set anyone back further than the bound. */
    boolean safe() {
        SwarmReport s = r.swarm();
        return r.lostPlayers() == 0 && r.duplicateOwners() == 0 && s.inputsDuplicated() == 0 && s.inputsLost() == 0
                && orbsDuplicated() == 0 && orbsVanished() == 0 && notHealed() == 0
                && maxRollbackMillis() <= rollbackBoundMillis();
    }

    /** Node-fault recovery p99 (a fault not healed counts as the heal timeout). */
    long nodeRecoveryP99() {
        return p99(healTimes(Fault.KILL_NODE, Fault.STOP_NODE));
    }

    boolean targetsMet() {
        return safe() && nodeRecoveryP99() < NODE_RECOVERY_TARGET_MS
                && r.swarm().reconnects().resumeMillis(99) < CLIENT_RESUME_TARGET_MS;
    }

    List<String[]> faultRows() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "fault", "target", "at", "bots hit", "every bot served again after"});
        for (ChaosRun.Injected f : r.faults()) {
            rows.add(new String[] {String.valueOf(f.n()), f.kind().label(), f.target(),
                    String.format("%.1f s", f.atMillis() / 1000.0), String.valueOf(f.botsHit()),
                    f.healed() ? f.healedMillis() + " ms" : "not healed in " + ChaosRun.HEAL_TIMEOUT.toSeconds() + " s"});
        }
        return rows;
    }

    List<String[]> summaryRows() {
        SwarmReport s = r.swarm();
        List<String[]> rows = new ArrayList<>();
        rows.add(row("faults", r.faults().size() + " (" + notHealed() + " not healed)"));
        byKind().forEach((kind, times) -> rows.add(row("  " + kind.label(), times.size() + ", healed p50 "
                + p50(times) + " ms, max " + max(times) + " ms")));
        rows.add(row("bots", s.players() + " (" + s.connected() + " connected)"));
        rows.add(row("lost players", r.lostPlayers()));
        rows.add(row("duplicate owners", r.duplicateOwners() + " (quiet audits " + r.quietAudits() + "/" + r.audits()
                + ")"));
        rows.add(row("inputs applied twice", s.inputsDuplicated()));
        rows.add(row("inputs lost", s.inputsLost()));
        rows.add(row("orbs at start / end", r.orbsStart() + " / " + r.orbsEnd() + " (duplicated " + orbsDuplicated()
                + ", vanished " + orbsVanished() + ")"));
        rows.add(row("node recovery p99", nodeRecoveryP99() + " ms (target < " + NODE_RECOVERY_TARGET_MS + ")"));
        rows.add(row("client resume p99", String.format("%.0f ms (target < %d; %d reconnects)",
                s.reconnects().resumeMillis(99), CLIENT_RESUME_TARGET_MS, s.reconnects().reconnects())));
        rows.add(row("max rollback", maxRollbackMillis() + " ms (bound " + rollbackBoundMillis() + " ms; "
                + s.recoveries().count() + " recoveries)"));
        rows.add(row("violations by kind", s.violationsByKind().toString()));
        rows.add(row("safe", safe() ? "yes" : "NO"));
        return rows;
    }

    /** A few of the bots' violations, with their player and kind. */
    List<String> sampleViolations() {
        return r.swarm().sampleViolations();
    }

    ObjectNode json() {
        SwarmReport s = r.swarm();
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("faults", r.faults().size());
        ObjectNode byKind = o.putObject("faults_by_kind");
        ObjectNode recovery = o.putObject("recovery_by_kind");
        byKind().forEach((kind, times) -> {
            byKind.put(kind.label(), times.size());
            ObjectNode k = recovery.putObject(kind.label());
            k.put("p50_ms", p50(times));
            k.put("p99_ms", p99(times));
            k.put("max_ms", max(times));
        });
        o.put("faults_not_healed", notHealed());
        o.put("bots", s.players());
        o.put("lost_players", r.lostPlayers());
        o.put("duplicate_owners", r.duplicateOwners());
        o.put("orbs_duplicated", orbsDuplicated());
        o.put("orbs_vanished", orbsVanished());
        o.put("orbs_total_start", r.orbsStart());
        o.put("orbs_total_end", r.orbsEnd());
        o.put("inputs_applied_twice", s.inputsDuplicated());
        o.put("inputs_lost", s.inputsLost());
        o.put("recovery_p99_ms", nodeRecoveryP99());
        o.put("client_resume_p50_ms", Math.round(s.reconnects().resumeMillis(50)));
        o.put("client_resume_p99_ms", Math.round(s.reconnects().resumeMillis(99)));
        o.put("reconnects", s.reconnects().reconnects());
        o.put("recoveries", s.recoveries().count());
        o.put("max_rollback_ms", maxRollbackMillis());
        o.put("rollback_bound_ms", rollbackBoundMillis());
        o.put("quiet_audits", r.quietAudits());
        o.put("audits", r.audits());
        var violations = o.putObject("violations_by_kind");
        s.violationsByKind().forEach(violations::put);
        o.put("safe", safe());
        o.put("targets_met", targetsMet());
        return o;
    }

    private Map<Fault, List<Long>> byKind() {
        Map<Fault, List<Long>> out = new EnumMap<>(Fault.class);
        for (ChaosRun.Injected f : r.faults()) {
            out.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(healTime(f));
        }
        return out;
    }

    private List<Long> healTimes(Fault... kinds) {
        List<Fault> wanted = List.of(kinds);
        return r.faults().stream().filter(f -> wanted.contains(f.kind())).map(ChaosReport::healTime).toList();
    }

    private static long healTime(ChaosRun.Injected f) {
        return f.healed() ? f.healedMillis() : ChaosRun.HEAL_TIMEOUT.toMillis();
    }

    private static long p50(List<Long> xs) {
        return rank(xs, 0.50);
    }

    private static long p99(List<Long> xs) {
        return rank(xs, 0.99);
    }

    /** Nearest rank: with few faults, p99 is the worst one. */
    private static long rank(List<Long> xs, double q) {
        if (xs.isEmpty()) {
            return 0;
        }
        List<Long> sorted = xs.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private static long max(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static String[] row(String name, Object value) {
        return new String[] {name, String.valueOf(value)};
    }
}
