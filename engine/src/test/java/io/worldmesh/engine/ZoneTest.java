package io.worldmesh.engine;

import io.worldmesh.api.CellView;
import io.worldmesh.api.EntitySpec;
import io.worldmesh.api.Game;
import io.worldmesh.api.GameContext;
import io.worldmesh.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Zones: entities with a radius, which snapshots carry as {@code r} and a cell's ground keeps. */
class ZoneTest {

    /** One zone of 5 m at the centre of every cell, and one point entity beside it. */
    private static final class Zones implements Game {
        @Override public String name() { return "zones"; }
        @Override public List<Property<?>> playerProperties() { return List.of(); }

        @Override
        public void startCell(CellView cell, GameContext ctx) {
            double c = ctx.bounds().cellSize() / 2;
            double x = cell.cell().cx() * ctx.bounds().cellSize() + c;
            double z = cell.cell().cz() * ctx.bounds().cellSize() + c;
            ctx.spawn(EntitySpec.zone("pool", x, z, 5, "pool", "#3fa9f5"));
            ctx.spawn(new EntitySpec("stone", x + 1, z, "", "#999999"));
        }
    }

    private static final WorldSettings SMALL = WorldSettings.DEFAULTS.withGrid(2, 2);

    @Test
    void aZoneKeepsItsRadiusAndCoversWhatIsWithinIt() {
        World w = new World(SMALL, new Zones());
        var pool = w.entities().stream().filter(e -> e.kind().equals("pool")).findFirst().orElseThrow();
        assertThat(pool.radius()).isEqualTo(5);
        assertThat(pool.covers(pool.x() + 3, pool.z() + 3)).isTrue();
        assertThat(pool.covers(pool.x() + 4, pool.z() + 4)).isFalse();
        assertThat(w.entities().stream().filter(e -> e.kind().equals("stone")).findFirst().orElseThrow().radius())
                .isZero();
    }

    @Test
    void snapshotsCarryAZonesRadiusAsRAndAPointsNot() {
        World w = new World(SMALL, new Zones());
        Player p = w.join("ana", 10, 10);
        w.step();
        List<String> out = new ArrayList<>();
        new SnapshotEncoder("n1").encode(w, (player, json) -> out.add(new String(json, StandardCharsets.UTF_8)));
        assertThat(out).singleElement().asString()
                .contains("\"kind\":\"pool\",\"x\":32,\"z\":32,\"label\":\"pool\",\"color\":\"#3fa9f5\",\"r\":5}")
                .containsPattern("\"kind\":\"stone\",[^}]*\"color\":\"#999999\"}");
        assertThat(p.id()).isNotBlank();
    }

    @Test
    void aCellsGroundKeepsItsZonesAndVersionOneGroundStillReads() throws Exception {
        World w = new World(SMALL, new Zones());
        List<WorldEntity> here = w.entities().stream().map(e -> (WorldEntity) e).toList();
        byte[] ground = GroundCodec.encode(here);
        assertThat(GroundCodec.decode(ground, w.entitySchema())).extracting(GroundCodec.Decoded::radius)
                .containsExactlyInAnyOrderElementsOf(here.stream().map(WorldEntity::radius).toList());

        // A version 1 record, as nodes wrote before zones: no radius after the colour.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte('W');
            out.writeByte('G');
            out.writeByte(1);
            out.writeInt(1);
            out.writeLong(7);
            out.writeUTF("stone");
            out.writeUTF("");
            out.writeUTF("#999999");
            out.writeDouble(3);
            out.writeDouble(4);
            byte[] properties = w.entitySchema().initial().encode();
            out.writeInt(properties.length);
            out.write(properties);
        }
        byte[] v1 = io.worldmesh.protocol.checksum.Crc32cTrailer.append(bytes.toByteArray());
        assertThat(GroundCodec.decode(v1, w.entitySchema())).singleElement()
                .satisfies(d -> assertThat(d.radius()).isZero()).satisfies(d -> assertThat(d.x()).isEqualTo(3));
    }

    @Test
    void aRadiusOutOfBoundsIsRefused() {
        assertThatThrownBy(() -> EntitySpec.zone("pool", 0, 0, -1, "", "#fff")).hasMessageContaining("0..1000");
        assertThatThrownBy(() -> EntitySpec.zone("pool", 0, 0, Double.NaN, "", "#fff")).hasMessageContaining("radius");
    }
}
