package io.worldmesh.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.worldmesh.protocol.auth.AuthRefusal;
import io.worldmesh.protocol.auth.AuthVerdict;
import io.worldmesh.protocol.auth.LinkAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A new gateway link until it has answered the node's challenge ({@link LinkAuth}): the node sends the challenge and
 * nothing else, takes no frame, and closes the link with 1008 and the refusal's code on a wrong answer, on a frame
 * before the answer, or when no answer came within the timeout. Only an answered link is registered, so a link that
 * is not cannot replace the gateway's real one. At most {@link #MAX_UNANSWERED} links wait at once; past it a new one
 * is refused with 503 before its upgrade.
 */
final class LinkChallenges {

    private static final Logger log = LoggerFactory.getLogger(LinkChallenges.class);
    /** Far more than a cluster's gateways, each of which opens one link per node. */
    static final int MAX_UNANSWERED = 64;
    private static final short POLICY_VIOLATION = 1008;

    private final Vertx vertx;
    private final String nodeId;
    private final LinkAuth auth;
    private final long timeoutMillis;
    private final AuthCounters counters;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger unanswered = new AtomicInteger();

    LinkChallenges(Vertx vertx, String nodeId, LinkAuth auth, long timeoutMillis, AuthCounters counters) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.auth = auth;
        this.timeoutMillis = timeoutMillis;
        this.counters = counters;
    }

    /** Takes a place for a link about to be upgraded; false at the bound. */
    boolean reserve() {
        if (unanswered.incrementAndGet() > MAX_UNANSWERED) {
            unanswered.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a place whose upgrade failed. */
    void release() {
        unanswered.decrementAndGet();
    }

    /** Challenges {@code ws}, opened with a place {@link #reserve()}d; runs {@code accept} once it has answered. */
    void challenge(ServerWebSocket ws, String gateway, Runnable accept) {
        byte[] nonce = new byte[LinkAuth.NONCE_BYTES];
        random.nextBytes(nonce);
        new Waiting(ws, gateway, nonce, accept).start();
    }

    /** One link waiting for its answer; touched only on the link's event loop. */
    private final class Waiting {

        private final ServerWebSocket ws;
        private final String gateway;
        private final byte[] nonce;
        private final Runnable accept;
        private long timer = -1;
        private boolean settled;

        Waiting(ServerWebSocket ws, String gateway, byte[] nonce, Runnable accept) {
            this.ws = ws;
            this.gateway = gateway;
            this.nonce = nonce;
            this.accept = accept;
        }

        void start() {
            timer = vertx.setTimer(timeoutMillis, t -> refuse(new AuthVerdict.Refused(AuthRefusal.NO_ANSWER,
                    "no answer to the link challenge within " + timeoutMillis + " ms")));
            ws.textMessageHandler(this::onAnswer);
            ws.binaryMessageHandler(frame -> refuse(new AuthVerdict.Refused(AuthRefusal.UNSIGNED,
                    "a frame before the answer to the challenge")));
            ws.closeHandler(v -> settle());
            ws.writeTextMessage(LinkAuth.challenge(nonce));
        }

        private void onAnswer(String text) {
            switch (auth.check(text, gateway, nodeId, nonce)) {
                case AuthVerdict.Verified v -> {
                    if (settle()) {
                        accept.run();
                    }
                }
                case AuthVerdict.Refused r -> refuse(r);
            }
        }

        private void refuse(AuthVerdict.Refused r) {
            if (!settle()) {
                return;
            }
            counters.refused(AuthCounters.On.LINK, r.refusal());
            log.info("node {} refused a link as gateway {}: {} ({})", nodeId, gateway, r.refusal().code(), r.reason());
            ws.close(POLICY_VIOLATION, r.refusal().code() + ": " + r.reason());
        }

        /** Ends the wait once, whichever way; false if it had ended. */
        private boolean settle() {
            if (settled) {
                return false;
            }
            settled = true;
            vertx.cancelTimer(timer);
            unanswered.decrementAndGet();
            return true;
        }
    }
}
