package io.worldmesh.gametest;

/**
 * How one invariant fared in a {@link GameTest}.
 *
 * @param checks      checks made (one per step)
 * @param violations  checks that found it broken, or settling past its grace
 * @param settling    checks that found it settling, within its grace
 */
public record Checks(long checks, long violations, long settling) {
}
