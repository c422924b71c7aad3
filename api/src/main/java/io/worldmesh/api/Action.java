package io.worldmesh.api;

import java.util.Map;

/** A validated game action from a client, e.g. {@code drop}; see {@link ActionSpec}. */
public record Action(String name, Map<String, Object> fields) {

    public Action {
        fields = Map.copyOf(fields);
    }
}
