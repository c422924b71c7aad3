package io.worldmesh.engine;

import io.worldmesh.api.Entity;
import io.worldmesh.games.orbs.OrbGame;
import io.worldmesh.games.orbs.OrbSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrbCollectionTest {

    @Test
    void walkingOverAnOrbCollectsItAndItRespawnsAfterTheHoldTime() {
        OrbGame game = new OrbGame(new OrbSettings(1, 1.5, 5));
        World w = new World(WorldSettings.DEFAULTS, game);
        Entity orb = w.entities().getFirst();
        long orbsBefore = w.entities().size();
        Player p = w.join("a", orb.x(), orb.z());
        w.step();
        assertThat(p.get(OrbGame.SCORE)).isEqualTo(1);
        assertThat(p.get(OrbGame.HELD)).hasSize(1);
        assertThat(w.entities()).hasSize((int) orbsBefore - 1).noneMatch(e -> e.id() == orb.id());
        for (int i = 0; i < 5; i++) {
            w.step();
        }
        assertThat(p.get(OrbGame.HELD)).isEmpty();
        assertThat(w.entities()).hasSize((int) orbsBefore);
        assertThat(p.get(OrbGame.SCORE)).isEqualTo(1);
    }

    @Test
    void anOrbsValueIsAnEntityPropertyThatTheScoreAdds() throws Exception {
        OrbGame game = new OrbGame(new OrbSettings(4, 1.5, 5));
        World w = new World(WorldSettings.DEFAULTS, game);
        Entity golden = w.entities().stream().filter(e -> e.get(OrbGame.VALUE) == 3L).findFirst().orElseThrow();
        assertThat(golden.label()).isEqualTo("3");
        byte[] encoded = ((WorldEntity) golden).properties().encode();
        assertThat(w.entitySchema().decode(encoded).get(OrbGame.VALUE)).isEqualTo(3L);
        Player p = w.join("a", golden.x(), golden.z());
        w.step();
        assertThat(p.get(OrbGame.SCORE)).isGreaterThanOrEqualTo(3L);
    }

    @Test
    void aLeavingPlayerGivesItsOrbsBack() {
        OrbGame game = new OrbGame(new OrbSettings(1, 1.5, 1000));
        World w = new World(WorldSettings.DEFAULTS, game);
        Entity orb = w.entities().getFirst();
        Player p = w.join("a", orb.x(), orb.z());
        w.step();
        assertThat(p.get(OrbGame.HELD)).hasSize(1);
        w.leave(p.id());
        assertThat(w.entities()).hasSize((int) game.totalOrbs(w.bounds()));
    }

    @Test
    void theSameSeedGivesTheSameWorld() {
        World a = new World(WorldSettings.DEFAULTS.withSeed(99), new OrbGame());
        World b = new World(WorldSettings.DEFAULTS.withSeed(99), new OrbGame());
        assertThat(a.entities()).extracting(Entity::x, Entity::z)
                .isEqualTo(b.entities().stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.x(), e.z())).toList());
        assertThat(a.join("x").x()).isEqualTo(b.join("x").x());
    }
}
