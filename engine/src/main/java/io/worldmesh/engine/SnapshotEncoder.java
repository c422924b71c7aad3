package io.worldmesh.engine;

import io.worldmesh.api.ViewContext;
import io.worldmesh.api.Game;
import io.worldmesh.api.HudFields;
import io.worldmesh.protocol.json.JsonOut;

import java.util.Arrays;

/**
 * Encodes every connected player's area-of-interest snapshot for a tick. A player frozen for a handover still gets
 * one every tick: it stands still, the world around it goes on, and its client sees no gap until the gateway
 * switches it to the target (which drops the source's from then on). An arrived player gets none at or below its
 * handed-over tick; the gateway passes a client no snapshot at or below one it has already passed, so a target
 * snapshot no newer than the source's last is dropped there. Each entity is encoded once per tick into a shared
 * buffer, cell by cell; a player's snapshot then copies the byte ranges of the 9 cells around it, leaving out its
 * own record. Reuses its buffers: one instance per simulation thread.
 */
public final class SnapshotEncoder {

    /** Receives one encoded snapshot; the array is the caller's to keep. */
    @FunctionalInterface
    public interface Sink {
        void accept(Player player, byte[] json);
    }

    private static final int DECIMALS = 2;

    private final JsonOut fragments = new JsonOut(1 << 16);
    private final JsonOut out = new JsonOut(1 << 14);
    private final String nodeId;
    private final Hud hud = new Hud();

    public SnapshotEncoder(String nodeId) {
        this.nodeId = nodeId;
    }

    public void encode(World world, Sink sink) {
        encodeFragments(Arrays.asList(world.cells()), world.game(), world.view());
        byte[] shared = fragments.buffer();
        Game game = world.game();
        ViewContext cluster = world.view();
        long tick = world.tick();
        for (Cell cell : world.cells()) {
            for (Player p : cell.players) {
                if (p.connected && tick > p.arrivedStateTick) {
                    sink.accept(p, encodeFor(tick, p, shared, game, cluster));
                }
            }
            for (Player p : cell.frozen) {
                if (p.connected) {
                    sink.accept(p, encodeFor(tick, p, shared, game, cluster));
                }
            }
        }
    }

    /**
     * One player's snapshot now, between ticks: for a player who has just arrived from another node, so that its
     * client does not wait up to a tick period more for the first one. Nothing unless the world's tick is past the
     * handed-over state's, which the client has already seen from the source. Encodes only the 9 cells around it:
     * arrivals come at hundreds a second under load, and each used to re-encode the whole world.
     */
    public void encodeOne(World world, Player p, Sink sink) {
        long tick = world.tick();
        if (!p.connected || tick <= p.arrivedStateTick) {
            return;
        }
        encodeFragments(p.cell.neighbourhood, world.game(), world.view());
        sink.accept(p, encodeFor(tick, p, fragments.buffer(), world.game(), world.view()));
    }

    private void encodeFragments(Iterable<Cell> cells, Game game, ViewContext view) {
        fragments.reset();
        for (Cell cell : cells) {
            cell.fragmentStart = fragments.length();
            for (Player p : cell.players) {
                encodeFragment(p, game, view);
            }
            for (Player p : cell.frozen) {
                encodeFragment(p, game, view);
            }
            for (WorldEntity e : cell.entities) {
                fragments.raw("{\"id\":\"e").number(e.id()).raw("\",\"kind\":").string(e.kind())
                        .raw(",\"x\":").number(e.x, DECIMALS).raw(",\"z\":").number(e.z, DECIMALS)
                        .raw(",\"label\":").string(e.label()).raw(",\"color\":").string(e.color());
                if (e.radius() > 0) {
                    fragments.raw(",\"r\":").number(e.radius(), DECIMALS);
                }
                fragments.raw("},");
            }
            cell.fragmentEnd = fragments.length();
        }
    }

    private void encodeFragment(Player p, Game game, ViewContext view) {
        p.fragmentStart = fragments.length();
        fragments.raw("{\"id\":").string(p.id()).raw(",\"kind\":\"player\",\"x\":").number(p.x, DECIMALS)
                .raw(",\"z\":").number(p.z, DECIMALS).raw(",\"yaw\":").number(p.yaw, DECIMALS)
                .raw(",\"label\":").string(p.name()).raw(",\"color\":").string(colorOf(p, game, view)).raw("},");
        p.fragmentEnd = fragments.length();
    }

    private static String colorOf(Player p, Game game, ViewContext view) {
        String c = game.playerColor(p, view);
        return c == null ? p.color() : c;
    }

    private byte[] encodeFor(long tick, Player p, byte[] shared, Game game, ViewContext view) {
        out.reset();
        out.raw("{\"type\":\"snapshot\",\"tick\":").number(tick)
                .raw(",\"last_applied_seq\":").number(p.lastAppliedSeq)
                .raw(",\"applied\":").number(p.appliedInputs)
                .raw(",\"node\":").string(nodeId)
                .raw(",\"you\":{\"id\":").string(p.id())
                .raw(",\"x\":").number(p.x, DECIMALS).raw(",\"z\":").number(p.z, DECIMALS)
                // A frozen player stands still until the handover ends, whatever velocity it will go on with.
                .raw(",\"vx\":").number(p.frozen ? 0 : p.vx, DECIMALS)
                .raw(",\"vz\":").number(p.frozen ? 0 : p.vz, DECIMALS)
                .raw(",\"yaw\":").number(p.yaw, DECIMALS)
                .raw(",\"cell\":{\"cx\":").number(p.cell.ref().cx()).raw(",\"cz\":").number(p.cell.ref().cz())
                .raw("}},\"hud\":{");
        hud.first = true;
        game.hud(p, hud, view);
        if (p.heldBecause != null) {
            hud.put("border", p.heldBecause);
        }
        out.raw("},\"entities\":[");
        int before = out.length();
        for (Cell c : p.cell.neighbourhood) {
            if (c == p.cell) {
                out.raw(shared, c.fragmentStart, p.fragmentStart);
                out.raw(shared, p.fragmentEnd, c.fragmentEnd);
            } else {
                out.raw(shared, c.fragmentStart, c.fragmentEnd);
            }
        }
        if (out.length() > before) {
            out.truncate(out.length() - 1); // the last record's trailing comma
        }
        out.raw("]}");
        return out.toByteArray();
    }

    /** Writes a game's HUD fields into the snapshot being encoded. */
    private final class Hud implements HudFields {
        boolean first;

        @Override
        public void put(String name, long value) {
            comma();
            out.string(name).raw(':').number(value);
        }

        @Override
        public void put(String name, String value) {
            comma();
            out.string(name).raw(':').string(value);
        }

        private void comma() {
            if (!first) {
                out.raw(',');
            }
            first = false;
        }
    }
}
