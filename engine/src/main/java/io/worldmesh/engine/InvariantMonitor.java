package io.worldmesh.engine;

import io.worldmesh.api.Invariant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks a game's declared invariants after every tick it is given, counting checks and violations per invariant
 * and keeping the first few violation messages. Runs on the simulation thread; read it there too.
 */
public final class InvariantMonitor implements Consumer<World> {

    /** Counts for one invariant. */
    public record Tally(long checks, long violations) {
    }

    private static final int MAX_MESSAGES = 10;

    private final List<Invariant> invariants;
    private final long[] checks;
    private final long[] violations;
    private final List<String> messages = new ArrayList<>();

    public InvariantMonitor(List<Invariant> invariants) {
        this.invariants = List.copyOf(invariants);
        this.checks = new long[this.invariants.size()];
        this.violations = new long[this.invariants.size()];
    }

    @Override
    public void accept(World world) {
        for (int i = 0; i < invariants.size(); i++) {
            Invariant inv = invariants.get(i);
            checks[i]++;
            int n = i;
            inv.check(world).ifPresent(message -> {
                violations[n]++;
                if (messages.size() < MAX_MESSAGES) {
                    messages.add("tick " + world.tick() + " " + inv.name() + ": " + message);
                }
            });
        }
    }

    public Map<String, Tally> tallies() {
        Map<String, Tally> out = new LinkedHashMap<>();
        for (int i = 0; i < invariants.size(); i++) {
            out.put(invariants.get(i).name(), new Tally(checks[i], violations[i]));
        }
        return out;
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }
}
