package io.worldmesh.games.tag;

/**
 * Tuning of tag.
 *
 * @param tagRadiusM   metres between centres within which "it" tags another player
 * @param safeTicks    ticks after a tag during which neither the new "it" can tag nor the old one be tagged back
 */
public record TagSettings(double tagRadiusM, int safeTicks) {

    public static final TagSettings DEFAULTS = new TagSettings(2.5, 40);

    public TagSettings {
        if (!(tagRadiusM > 0) || safeTicks < 0) {
            throw new IllegalArgumentException("bad tag settings: " + tagRadiusM + ", " + safeTicks);
        }
    }
}
