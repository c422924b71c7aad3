package io.worldmesh.api;

/** Where a game writes the HUD fields a client shows for one player, e.g. {@code score}. */
public interface HudFields {

    void put(String name, long value);

    void put(String name, String value);
}
