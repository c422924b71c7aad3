package io.worldmesh.protocol.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds of request and link authentication.
 *
 * @param clockWindow        how far a request's timestamp may be from the receiver's clock, either way. A clock hint,
 *                           never a decision about the handover: it bounds how long a nonce must be remembered, and
 *                           the processes' clocks must agree within it
 * @param replayCacheEntries the most nonces a node remembers at once; a request that would need one more is refused
 *                           with 503 {@code replay_cache_full} (about 100 bytes each)
 * @param linkAnswerTimeout  how long a new gateway link may take to answer the node's challenge before it is closed
 */
public record AuthSettings(Duration clockWindow, int replayCacheEntries, Duration linkAnswerTimeout) {

    /** ±30 s; 2^18 nonces, four times what a node receives in a window at 1,500 handovers/s over three nodes; 5 s. */
    public static final AuthSettings DEFAULTS = new AuthSettings(Duration.ofSeconds(30), 1 << 18,
            Duration.ofSeconds(5));

    public AuthSettings {
        List<String> problems = new ArrayList<>();
        if (clockWindow == null || clockWindow.toMillis() < 1 || clockWindow.toHours() >= 1) {
            problems.add("clock window must be between 1 ms and an hour");
        }
        if (replayCacheEntries < 1) {
            problems.add("replay cache must hold at least one nonce");
        }
        if (linkAnswerTimeout == null || linkAnswerTimeout.toMillis() < 1) {
            problems.add("link answer timeout must be at least 1 ms");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("auth settings: " + String.join("; ", problems));
        }
    }
}
