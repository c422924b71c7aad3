package io.worldmesh.directory;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** What taking a node's ground (its cells' entities) over answered: see {@link Directory#takeGround}. */
public sealed interface GroundTakeover {

    /** The node's incarnations up to the dead one are fenced; the last written ground of each asked cell that has one. */
    record Taken(Map<String, byte[]> ground) implements GroundTakeover {
        public Taken {
            ground = Collections.unmodifiableMap(new TreeMap<>(ground));
        }
    }

    /** The node holds a live lease at or below the dead incarnation: it is not dead, and nothing was changed. */
    record LeaseLive(long incarnation) implements GroundTakeover {
    }
}
