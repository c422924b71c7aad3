package io.worldmesh.flags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The flags of one version of a flag file, immutable, so that readers can share it without locks. */
public record FlagSet(Map<String, FlagDefinition> flags) {

    public static final FlagSet EMPTY = new FlagSet(Map.of());

    public FlagSet {
        flags = Map.copyOf(flags);
    }

    /** Keys added, removed or redefined from this set to {@code next}, sorted. */
    public List<String> changedKeys(FlagSet next) {
        TreeSet<String> keys = new TreeSet<>(flags.keySet());
        keys.addAll(next.flags.keySet());
        List<String> changed = new ArrayList<>();
        for (String key : keys) {
            if (!Objects.equals(flags.get(key), next.flags.get(key))) {
                changed.add(key);
            }
        }
        return List.copyOf(changed);
    }
}
