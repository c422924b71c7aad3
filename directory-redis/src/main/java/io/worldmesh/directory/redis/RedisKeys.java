package io.worldmesh.directory.redis;

/**
 * The key layout of one cluster's directory, under its namespace (so that several clusters, or tests, share one
 * server). Every key of a player carries the hash tag {@code {player}}; the namespace may therefore hold no braces,
 * since the first {@code {...}} of a key is its hash tag. Braces and {@code %} inside a player id are
 * percent-escaped in the tag, so that the tag always ends where the id ends and two players never share a key.
 */
final class RedisKeys {

    private final String prefix;

    RedisKeys(String namespace) {
        if (namespace.indexOf('{') >= 0 || namespace.indexOf('}') >= 0) {
            throw new IllegalArgumentException("the namespace must not contain braces (it would become the hash tag "
                    + "of every key): " + namespace);
        }
        this.prefix = namespace.isEmpty() ? "" : namespace + ":";
    }

    String prefix() {
        return prefix;
    }

    /** Hash: node, epoch. */
    String owner(String playerId) {
        return prefix + "owner:" + tag(playerId);
    }

    /** Hash: epoch, state. */
    String session(String playerId) {
        return prefix + "session:" + tag(playerId);
    }

    /** String COMMIT | ABORT, with a TTL. */
    String decision(String playerId, String token) {
        return prefix + "decision:" + tag(playerId) + ":" + token;
    }

    /** Hash: table (JSON), version. */
    String cellAssignment() {
        return prefix + "cell-assignment";
    }

    /** Hash: node id -> endpoint JSON. */
    String nodes() {
        return prefix + "nodes";
    }

    /** Counter (INCR). */
    String incarnation() {
        return prefix + "incarnation";
    }

    /** String: the cluster settings as JSON. */
    String settings() {
        return prefix + "settings";
    }

    /** Hash: value, version. */
    String game(String key) {
        return prefix + "game:" + key;
    }

    /** String: the incarnation holding the node's lease, with the lease's TTL. */
    String lease(String nodeId) {
        return prefix + "lease:" + tag(nodeId);
    }

    /** String: the lowest incarnation of the node that may hold its lease; a takeover raises it. */
    String leaseFence(String nodeId) {
        return prefix + "lease-fence:" + tag(nodeId);
    }

    /** String: the last incarnation that held the node's lease, lapsed or not (no TTL); failover fences up to it. */
    String leaseLast(String nodeId) {
        return prefix + "lease-last:" + tag(nodeId);
    }

    /** Set: the players the node owns (kept by create, commit, takeover and removal). */
    String owned(String nodeId) {
        return prefix + "owned:" + tag(nodeId);
    }

    /** Hash: node, incarnation, state (the cell's entities at the last cut of the node that owned it). */
    String ground(String cellKey) {
        return prefix + "ground:" + tag(cellKey);
    }

    /** Stream of ownership changes. */
    String audit() {
        return prefix + "audit";
    }

    /** {@code {playerId}}, with the characters that would end or confuse the tag escaped. */
    static String tag(String playerId) {
        StringBuilder out = new StringBuilder(playerId.length() + 2).append('{');
        for (int i = 0; i < playerId.length(); i++) {
            char c = playerId.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '{' -> out.append("%7B");
                case '}' -> out.append("%7D");
                default -> out.append(c);
            }
        }
        return out.append('}').toString();
    }
}
