package io.worldmesh.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldmesh.client.SwarmReport;

/** The fields of a bot swarm's report in the JSON summaries people script against; names are an interface. */
final class SwarmJson {

    private SwarmJson() {
    }

    static ObjectNode of(SwarmReport r) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("players", r.players());
        o.put("connected", r.connected());
        o.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        o.put("inputs_sent", r.inputsSent());
        o.put("actions_sent", r.actionsSent());
        o.put("inputs_applied", r.inputsApplied());
        o.put("inputs_lost", r.inputsLost());
        o.put("inputs_duplicated", r.inputsDuplicated());
        o.put("snapshots", r.snapshots());
        o.put("local_handovers", r.localHandovers());
        o.put("cross_node_handovers", r.crossNodeHandovers());
        o.put("errors", r.errors());
        o.put("violations", r.violations());
        var byKind = o.putObject("violations_by_kind");
        r.violationsByKind().forEach(byKind::put);
        o.put("max_snapshot_gap_ms", r.maxGapMillis());
        o.put("input_latency_p50_ms", Math.round(r.latencyMillis(50) * 100) / 100.0);
        o.put("input_latency_p99_ms", Math.round(r.latencyMillis(99) * 100) / 100.0);
        o.put("reconnects", r.reconnects().reconnects());
        o.put("players_lost_on_reconnect", r.reconnects().playersLost() + r.reconnects().stillDown());
        o.put("closed_for_good", r.reconnects().closedForGood());
        o.put("client_resume_p50_ms", Math.round(r.reconnects().resumeMillis(50)));
        o.put("client_resume_p99_ms", Math.round(r.reconnects().resumeMillis(99)));
        o.put("inputs_resent", r.reconnects().inputsResent());
        o.put("inputs_given_up", r.reconnects().inputsGivenUp());
        return o;
    }
}
