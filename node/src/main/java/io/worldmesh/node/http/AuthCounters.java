package io.worldmesh.node.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.worldmesh.protocol.auth.AuthRefusal;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code worldmesh.auth.refused{node, on, code}}: requests ({@code on=request}, {@code /handover/*} and
 * {@code /bench/*}) and gateway links ({@code on=link}) refused for their authentication, by the refusal's code.
 * Every counter is registered at start, so that a dashboard sees zeros rather than nothing.
 */
final class AuthCounters {

    enum On {
        REQUEST(EnumSet.of(AuthRefusal.UNSIGNED, AuthRefusal.BAD_SIGNATURE, AuthRefusal.STALE_TIMESTAMP,
                AuthRefusal.REPLAYED, AuthRefusal.REPLAY_CACHE_FULL)),
        LINK(EnumSet.of(AuthRefusal.UNSIGNED, AuthRefusal.BAD_SIGNATURE, AuthRefusal.NO_ANSWER, AuthRefusal.BUSY));

        /** The refusals that happen here. */
        private final Set<AuthRefusal> codes;

        On(Set<AuthRefusal> codes) {
            this.codes = codes;
        }
    }

    private final Map<On, Map<AuthRefusal, Counter>> counters = new EnumMap<>(On.class);

    AuthCounters(MeterRegistry registry, String nodeId) {
        for (On on : On.values()) {
            Map<AuthRefusal, Counter> byCode = new EnumMap<>(AuthRefusal.class);
            for (AuthRefusal r : on.codes) {
                byCode.put(r, Counter.builder("worldmesh.auth.refused")
                        .description("Requests and gateway links refused for their authentication")
                        .tag("node", nodeId).tag("on", on.name().toLowerCase(Locale.ROOT))
                        .tag("code", r.code()).register(registry));
            }
            counters.put(on, byCode);
        }
    }

    void refused(On on, AuthRefusal refusal) {
        counters.get(on).get(refusal).increment();
    }
}
