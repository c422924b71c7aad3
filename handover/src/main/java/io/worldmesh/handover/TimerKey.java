package io.worldmesh.handover;

/**
 * Names one timer of one handover. {@code generation} grows with every timer set for the handover, so a timer
 * that fires after its phase has moved on is recognised as stale and ignored.
 */
public record TimerKey(Side side, String token, long generation) {
}
