package io.worldmesh.engine;

import io.worldmesh.api.Codec;
import io.worldmesh.api.Codecs;
import io.worldmesh.api.Property;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A player's game timers ({@link io.worldmesh.api.GameContext#after}): kept in its session data as one more
 * property, the engine's own, so that they travel with the player through handovers and checkpoints and fire on
 * whichever node has it when they fall due. At most {@link #MAX_PER_PLAYER} per player, so that a game cannot grow
 * a player's state without bound; kept in the order they fall due (then by name), which is the order they fire in.
 */
final class PlayerTimers {

    /** Timers one player may hold at once. */
    static final int MAX_PER_PLAYER = 16;
    /** The longest a timer may run: about 2 years at 20 Hz. */
    static final long MAX_TICKS = 1L << 30;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    /** One timer: the game's name for it and the tick it falls due at. */
    record Timer(String name, long dueTick) {

        static final Codec<Timer> CODEC = new Codec<>() {
            @Override public void write(Timer t, DataOutput out) throws IOException {
                out.writeUTF(t.name);
                out.writeLong(t.dueTick);
            }

            @Override public Timer read(DataInput in) throws IOException {
                return new Timer(in.readUTF(), in.readLong());
            }
        };
    }

    static final Property<List<Timer>> PROPERTY =
            Property.of("engine.timers", Codecs.listOf(Timer.CODEC), List.of());

    private static final Comparator<Timer> ORDER = Comparator.comparingLong(Timer::dueTick)
            .thenComparing(Timer::name);

    private PlayerTimers() {
    }

    /** {@code timers} with {@code name} (re)set to fall due at {@code now + ticks}. */
    static List<Timer> set(List<Timer> timers, String name, long now, long ticks) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad timer name: " + name);
        }
        if (ticks < 1 || ticks > MAX_TICKS) {
            throw new IllegalArgumentException("a timer runs 1.." + MAX_TICKS + " ticks, was " + ticks);
        }
        List<Timer> out = new ArrayList<>(cancel(timers, name));
        if (out.size() >= MAX_PER_PLAYER) {
            throw new IllegalStateException("a player holds at most " + MAX_PER_PLAYER + " timers");
        }
        out.add(new Timer(name, now + ticks));
        out.sort(ORDER);
        return List.copyOf(out);
    }

    static List<Timer> cancel(List<Timer> timers, String name) {
        return timers.stream().filter(t -> !t.name().equals(name)).toList();
    }
}
