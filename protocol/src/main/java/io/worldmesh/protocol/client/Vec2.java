package io.worldmesh.protocol.client;

/** A vector in the world plane. */
public record Vec2(double x, double z) {

    public static final Vec2 ZERO = new Vec2(0, 0);

    public double length() {
        return Math.hypot(x, z);
    }

    public boolean isFinite() {
        return Double.isFinite(x) && Double.isFinite(z);
    }
}
