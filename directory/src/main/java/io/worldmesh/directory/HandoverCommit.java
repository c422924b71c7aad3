package io.worldmesh.directory;

/**
 * The commit point of a handover: if {@code owner[player] == expected} and no decision is recorded for
 * {@code token}, then in one atomic step {@code owner[player] := expected.next(target)},
 * {@code decision[token] := COMMIT}, the frozen {@code state} is stored at the new epoch, and the change is
 * appended to the audit log.
 */
public record HandoverCommit(String playerId, String token, OwnerRecord expected, String target, byte[] state) {

    public HandoverCommit {
        state = state.clone();
    }

    @Override
    public byte[] state() {
        return state.clone();
    }
}
