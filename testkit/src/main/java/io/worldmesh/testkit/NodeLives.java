package io.worldmesh.testkit;

/**
 * Which start of each node's process runs now. A crash ends a life at once: an answer, a timer or a link frame meant
 * for a life that has ended is lost with its process, even if the node has started again since (its new process
 * numbers its calls and timers afresh). Requests from peers find whichever process listens at the node's address.
 */
final class NodeLives {

    /** The life of an event that any running process of the node may take (a peer's request). */
    static final long ANY = -1;

    private final long[] life;
    private final boolean[] up;

    NodeLives(int nodes) {
        this.life = new long[nodes];
        this.up = new boolean[nodes];
        java.util.Arrays.fill(up, true);
    }

    long of(int node) {
        return life[node];
    }

    boolean up(int node) {
        return up[node];
    }

    /** Whether an event meant for {@code eventLife} of {@code node} is taken by its process now. */
    boolean takes(int node, long eventLife) {
        return up[node] && (eventLife == ANY || eventLife == life[node]);
    }

    void crashed(int node) {
        up[node] = false;
        life[node]++;
    }

    void started(int node) {
        up[node] = true;
    }

    int upCount() {
        int n = 0;
        for (boolean u : up) {
            n += u ? 1 : 0;
        }
        return n;
    }
}
