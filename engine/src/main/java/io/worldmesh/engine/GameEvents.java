package io.worldmesh.engine;

import io.worldmesh.api.GameEvent;
import io.worldmesh.protocol.json.JsonOut;

/** Encodes a game's event as the client protocol's {@code game_event} message. */
final class GameEvents {

    private GameEvents() {
    }

    static byte[] encode(long tick, GameEvent event) {
        JsonOut o = new JsonOut(96);
        o.raw("{\"type\":\"game_event\",\"tick\":").number(tick).raw(",\"name\":").string(event.name())
                .raw(",\"data\":{");
        boolean first = true;
        for (var f : event.data().entrySet()) {
            if (!first) {
                o.raw(',');
            }
            first = false;
            o.string(f.getKey()).raw(':');
            switch (f.getValue()) {
                case String s -> o.string(s);
                case Boolean b -> o.bool(b);
                case Double d -> o.number(d, 3);
                case Number n -> o.number(n.longValue());
                default -> throw new IllegalStateException("GameEvent admits no " + f.getValue().getClass());
            }
        }
        return o.raw("}}").toByteArray();
    }
}
