package io.worldmesh.handover;

import io.worldmesh.api.CellRef;
import io.worldmesh.protocol.handover.PeerRequest;
import io.worldmesh.protocol.handover.PlayerState;

import java.util.List;

/** Shared values for the state-machine tests. */
final class Fixtures {

    static final HandoverSettings SETTINGS = HandoverSettings.DEFAULTS;
    static final long MS = 1_000_000L;

    private Fixtures() {
    }

    static PlayerState state(long seq) {
        return new PlayerState("p1", "ana", "#fff", 64.5, 10, 8, 0, 0, 1, 0, seq, seq, 100, 500, 3, new byte[] {1});
    }

    static PeerRequest.Prepare prepare(String token, long seq) {
        return new PeerRequest.Prepare("p1", "n1", "n2", "g1", 7, new CellRef(0, 0), new CellRef(1, 0), state(seq),
                token, 10_000, 3);
    }

    static PeerRequest.Prepare prepare(String token) {
        return prepare(token, 42);
    }

    @SuppressWarnings("unchecked")
    static <T extends HandoverEffect> T only(List<HandoverEffect> effects, Class<T> type) {
        List<HandoverEffect> found = effects.stream().filter(type::isInstance).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " in " + effects);
        }
        return (T) found.get(0);
    }

    static boolean has(List<HandoverEffect> effects, Class<? extends HandoverEffect> type) {
        return effects.stream().anyMatch(type::isInstance);
    }

    static TimerKey timer(List<HandoverEffect> effects) {
        return only(effects, HandoverEffect.SetTimer.class).key();
    }
}
