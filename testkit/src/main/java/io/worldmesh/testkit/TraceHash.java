package io.worldmesh.testkit;

/** A running 64-bit digest of what happened in a run; equal digests mean (almost certainly) equal runs. */
final class TraceHash {

    private long h = 0x243F6A8885A308D3L;

    void mix(long v) {
        h = (h ^ v) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
    }

    void mix(String s) {
        mix(s.hashCode()); // String.hashCode is specified, so the digest is the same in every JVM
    }

    long value() {
        return h;
    }
}
