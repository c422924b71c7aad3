package io.worldmesh.protocol.auth;

/** Why a request between nodes, or a gateway's link, was not authenticated: the code it is refused and counted with. */
public enum AuthRefusal {
    /** A signature header is missing, or the link's first message is not an answer. */
    UNSIGNED("unsigned", 401),
    /** The signature or the answer does not match, or a signed field is malformed. */
    BAD_SIGNATURE("bad_signature", 401),
    /** Signed too far from this node's clock: outside the window, so the replay cache cannot vouch for it. */
    STALE_TIMESTAMP("stale_timestamp", 401),
    /** A nonce already seen within the window. */
    REPLAYED("replayed", 401),
    /** The replay cache is at its bound: refused rather than forgetting a nonce that could then be replayed. */
    REPLAY_CACHE_FULL("replay_cache_full", 503),
    /** The gateway did not answer the link challenge in time. */
    NO_ANSWER("no_answer", 401),
    /** Too many links wait for their answer at once. */
    BUSY("busy", 503);

    private final String code;
    private final int httpStatus;

    AuthRefusal(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The refusal's code on the wire and in the metric's tag. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
