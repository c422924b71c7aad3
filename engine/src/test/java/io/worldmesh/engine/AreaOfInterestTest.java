package io.worldmesh.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.worldmesh.engine.Worlds.input;
import static org.assertj.core.api.Assertions.assertThat;

class AreaOfInterestTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aSnapshotHoldsTheNeighbourhoodOfThePlayersCellAndNotThePlayerItself() throws Exception {
        World w = Worlds.orbs(WorldSettings.DEFAULTS.withGrid(4, 4));
        Player a = w.join("a", 10, 10);     // cell 0,0
        Player near = w.join("near", 100, 100); // cell 1,1: a neighbour
        Player far = w.join("far", 200, 10);  // cell 3,0: out of view
        w.applyInput(a.id(), input(3, 0, 0));
        w.step();
        Map<String, JsonNode> snapshots = encode(w);

        JsonNode s = snapshots.get(a.id());
        assertThat(s.path("type").asText()).isEqualTo("snapshot");
        assertThat(s.path("tick").asLong()).isEqualTo(1);
        assertThat(s.path("last_applied_seq").asLong()).isEqualTo(3);
        assertThat(s.path("you").path("id").asText()).isEqualTo(a.id());
        assertThat(s.path("you").path("cell").path("cx").asInt()).isZero();
        assertThat(s.path("hud").has("score")).isTrue();
        Set<String> ids = new HashSet<>();
        for (JsonNode e : s.path("entities")) {
            ids.add(e.path("id").asText());
            // Everything in view lies in cells 0..1 x 0..1, the neighbourhood of cell 0,0.
            assertThat(e.path("x").asDouble()).isLessThan(128.0);
            assertThat(e.path("z").asDouble()).isLessThan(128.0);
            assertThat(e.path("kind").asText()).isIn("player", "orb");
            assertThat(e.has("color")).isTrue();
        }
        assertThat(ids).contains(near.id()).doesNotContain(a.id(), far.id());
        long orbsInView = 0;
        for (Entity e : entitiesOf(w)) {
            if (e.x < 128 && e.z < 128) {
                orbsInView++;
            }
        }
        assertThat(ids.stream().filter(i -> i.startsWith("e")).count()).isEqualTo(orbsInView);
        assertThat(snapshots.get(far.id()).path("entities").toString()).doesNotContain("\"" + a.id() + "\"");
    }

    @Test
    void disconnectedPlayersGetNoSnapshotButStayVisible() throws Exception {
        World w = Worlds.orbs();
        Player a = w.join("a", 10, 10);
        Player b = w.join("b", 12, 10);
        w.disconnect(b.id());
        w.step();
        Map<String, JsonNode> snapshots = encode(w);
        assertThat(snapshots).containsOnlyKeys(a.id());
        assertThat(snapshots.get(a.id()).path("entities").toString()).contains("\"" + b.id() + "\"");
    }

    @Test
    void onePlayersSnapshotBetweenTicksIsTheOneTheTickGivesIt() {
        World w = Worlds.orbs(WorldSettings.DEFAULTS.withGrid(6, 6));
        Player a = w.join("a", 140, 140);    // cell 2,2
        w.join("near", 70, 200);              // cell 1,3: in view
        w.join("far", 350, 350);              // cell 5,5: out of view
        w.join("same", 150, 130);             // a's own cell
        w.applyInput(a.id(), input(1, 1, 0));
        w.step();
        Map<String, byte[]> all = new HashMap<>();
        SnapshotEncoder encoder = new SnapshotEncoder("node-test");
        encoder.encode(w, (p, bytes) -> all.put(p.id(), bytes));
        byte[][] one = new byte[1][];
        encoder.encodeOne(w, a, (p, bytes) -> one[0] = bytes);

        // The same bytes, although only a's neighbourhood was encoded for it.
        assertThat(new String(one[0], java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(all.get(a.id()), java.nio.charset.StandardCharsets.UTF_8));
    }

    private Map<String, JsonNode> encode(World w) throws Exception {
        Map<String, byte[]> raw = new HashMap<>();
        new SnapshotEncoder("node-test").encode(w, (p, bytes) -> raw.put(p.id(), bytes));
        Map<String, JsonNode> out = new HashMap<>();
        for (Map.Entry<String, byte[]> e : raw.entrySet()) {
            out.put(e.getKey(), json.readTree(e.getValue()));
        }
        return out;
    }

    private record Entity(double x, double z) {
    }

    private static java.util.List<Entity> entitiesOf(World w) {
        return w.entities().stream().map(e -> new Entity(e.x(), e.z())).toList();
    }
}
