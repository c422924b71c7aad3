package io.worldmesh.engine;

import io.worldmesh.engine.session.SessionData;
import io.worldmesh.protocol.handover.PlayerState;

/** Converts between the engine's {@link Player} and the transfer record {@link PlayerState}, field for field. */
final class PlayerStates {

    private PlayerStates() {
    }

    /** Every field of the player as it is now, stamped with the cluster-wide {@code tick}. */
    static PlayerState of(Player p, long tick) {
        return new PlayerState(p.id(), p.name(), p.color(), p.x, p.z, p.vx, p.vz, p.yaw, p.moveX, p.moveZ,
                p.lastAppliedSeq, p.appliedInputs, p.cellEnteredTick, tick, p.epoch, p.session().encode());
    }

    /** A player with every field of {@code s} and the already decoded {@code session}; not yet in any cell. */
    static Player toPlayer(PlayerState s, SessionData session) {
        Player p = new Player(s.playerId(), s.name(), s.color(), session, s.x(), s.z());
        p.vx = s.vx();
        p.vz = s.vz();
        p.yaw = s.yaw();
        p.moveX = s.moveX();
        p.moveZ = s.moveZ();
        p.lastAppliedSeq = s.lastAppliedSeq();
        p.appliedInputs = s.appliedInputs();
        p.cellEnteredTick = s.cellEnteredTick();
        p.epoch = s.epoch();
        return p;
    }
}
