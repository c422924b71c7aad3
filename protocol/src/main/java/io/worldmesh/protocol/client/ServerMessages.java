package io.worldmesh.protocol.client;

import io.worldmesh.protocol.json.JsonOut;
import io.worldmesh.protocol.link.WorldInfo;

/** Encoders for the server's rarer messages; snapshots are encoded by the engine, which knows the world. */
public final class ServerMessages {

    private ServerMessages() {
    }

    public static String welcome(String playerId, String resumeToken, boolean resumed, long lastAppliedSeq,
                                 WorldInfo world) {
        JsonOut o = new JsonOut(256);
        o.raw("{\"type\":\"welcome\",").key("v").number(ClientMessageDecoder.PROTOCOL_VERSION)
                .raw(',').key("player_id").string(playerId)
                .raw(',').key("resume_token").string(resumeToken)
                .raw(',').key("resumed").bool(resumed)
                .raw(',').key("last_applied_seq").number(lastAppliedSeq)
                .raw(',').key("node").string(world.nodeId())
                .raw(',').key("game").string(world.game())
                .raw(',').key("tick_rate").number(world.tickRate())
                .raw(',').key("world").raw('{')
                .key("cells_x").number(world.cellsX())
                .raw(',').key("cells_z").number(world.cellsZ())
                .raw(',').key("cell_size").number(world.cellSize(), 3)
                .raw(',').key("max_speed").number(world.maxSpeed(), 3)
                .raw("},").key("actions").raw('[');
        boolean first = true;
        for (var action : new java.util.TreeMap<>(world.actions()).entrySet()) {
            o.raw(first ? "{" : ",{").key("name").string(action.getKey()).raw(',').key("fields").raw('{');
            first = false;
            boolean firstField = true;
            for (var field : new java.util.TreeMap<>(action.getValue()).entrySet()) {
                o.raw(firstField ? "" : ",").string(field.getKey()).raw(':').string(field.getValue());
                firstField = false;
            }
            o.raw("}}");
        }
        o.raw(']');
        if (!world.nodes().isEmpty()) {
            o.raw(',').key("assignment").raw("{").key("nodes").raw('[');
            for (int i = 0; i < world.nodes().size(); i++) {
                o.raw(i == 0 ? "" : ",").string(world.nodes().get(i));
            }
            o.raw("],").key("owners").raw('[');
            int[] owners = world.owners();
            for (int i = 0; i < owners.length; i++) {
                o.raw(i == 0 ? "" : ",").number(owners[i]);
            }
            o.raw("]}");
        }
        o.raw('}');
        return o.toString();
    }

    public static String error(ErrorCode code, String message) {
        JsonOut o = new JsonOut(96 + message.length());
        o.raw("{\"type\":\"error\",").key("code").string(code.wire()).raw(',').key("message").string(message).raw('}');
        return o.toString();
    }

    public static String pong(long id) {
        return new JsonOut(32).raw("{\"type\":\"pong\",").key("id").number(id).raw('}').toString();
    }

    /** The answer to a client's echo, once the owning node's simulation has answered it. */
    public static String echo(long id) {
        return new JsonOut(32).raw("{\"type\":\"echo\",").key("id").number(id).raw('}').toString();
    }
}
