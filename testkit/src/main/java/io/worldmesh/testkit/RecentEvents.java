package io.worldmesh.testkit;

import io.worldmesh.protocol.link.ToGateway;

import java.util.Locale;

/** The last few events of a run, kept for the failure message; formatted only when a run fails. */
final class RecentEvents {

    private static final int LINE_LIMIT = 240;

    private final Scheduler.Due[] ring;
    private long count;

    RecentEvents(int size) {
        this.ring = new Scheduler.Due[size];
    }

    void add(Scheduler.Due due) {
        ring[(int) (count++ % ring.length)] = due;
    }

    /** Snapshots shown without their JSON, which says little and much. */
    private static String describe(Event e) {
        if (e instanceof Event.ToGatewayFrame f && f.frame() instanceof ToGateway.ToClient c) {
            return "ToGatewayFrame[node=" + f.node() + ", frame=ToClient[playerId=" + c.playerId() + ", tick=" + c.tick()
                    + ", lastAppliedSeq=" + c.lastAppliedSeq() + (c.droppable() ? "" : ", event") + "]]";
        }
        return e.toString();
    }

    String format() {
        StringBuilder out = new StringBuilder();
        for (long i = Math.max(0, count - ring.length); i < count; i++) {
            Scheduler.Due d = ring[(int) (i % ring.length)];
            String line = String.format(Locale.ROOT, "    %10.6f s  %s", d.atNanos() / 1e9, describe(d.event()));
            out.append(line.length() > LINE_LIMIT ? line.substring(0, LINE_LIMIT) + "..." : line).append('\n');
        }
        return out.toString();
    }
}
