package io.worldmesh.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GameSettingsTest {

    private static final GameSetting<Long> ROUNDS = GameSetting.integer("rounds", 3, 1, 10, "rounds to play");
    private static final GameSetting<Double> RADIUS = GameSetting.number("radius", 2.5, 0.5, 20, "metres");
    private static final GameSetting<Boolean> TEAMS = GameSetting.flag("teams", false, "play in teams");
    private static final GameSetting<String> MOTTO = GameSetting.text("motto", "go", "shown at the start");
    private static final List<GameSetting<?>> ALL = List.of(ROUNDS, RADIUS, TEAMS, MOTTO);

    @Test
    void givenValuesAreTypedAndTheRestKeepTheirDefaults() {
        GameSettings s = GameSettings.parse(ALL, Map.of("rounds", "7", "teams", "yes", "motto", "win it"));
        assertThat(s.get(ROUNDS)).isEqualTo(7L);
        assertThat(s.get(TEAMS)).isTrue();
        assertThat(s.get(MOTTO)).isEqualTo("win it");
        assertThat(s.get(RADIUS)).isEqualTo(2.5);
        assertThat(s.given()).containsOnlyKeys("motto", "rounds", "teams");
        assertThat(GameSettings.DEFAULTS.get(ROUNDS)).isEqualTo(3L);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> GameSettings.parse(ALL, Map.of("rounds", "11", "radius", "wide", "teams", "maybe",
                "colour", "red"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no setting 'colour'; it takes rounds, radius, teams, motto")
                .hasMessageContaining("radius must be a number, was 'wide'")
                .hasMessageContaining("rounds must be 1..10, was 11")
                .hasMessageContaining("teams must be true or false, was 'maybe'");
        assertThatThrownBy(() -> GameSettings.parse(ALL, Map.of("radius", "NaN"))).hasMessageContaining("0.5..20.0");
        assertThatThrownBy(() -> GameSettings.parse(ALL, Map.of("motto", "two\nlines"))).hasMessageContaining("one line");
        assertThatThrownBy(() -> GameSettings.parse(List.of(), Map.of("x", "1"))).hasMessageContaining("takes none");
    }

    @Test
    void aDefaultOutsideItsOwnRangeIsABugInTheGame() {
        assertThatThrownBy(() -> GameSetting.integer("rounds", 0, 1, 10, "")).hasMessageContaining("must be 1..10");
        assertThatThrownBy(() -> GameSetting.integer("Rounds", 1, 1, 10, "")).hasMessageContaining("bad game setting");
    }

    @Test
    void usageSaysNameDefaultTypeAndRange() {
        assertThat(ROUNDS.usage()).isEqualTo("rounds=3 (integer, 1..10): rounds to play");
        assertThat(TEAMS.usage()).isEqualTo("teams=false (flag): play in teams");
    }
}
