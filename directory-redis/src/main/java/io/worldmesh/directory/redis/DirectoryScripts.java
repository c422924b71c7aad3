package io.worldmesh.directory.redis;

import java.util.List;

/** Every Lua script the directory runs: each multi-key change is one of them. */
record DirectoryScripts(LuaScript commit, LuaScript createPlayer, LuaScript writeSession, LuaScript removePlayer,
                        LuaScript casGameState, LuaScript proposeAssignment, LuaScript registerNode,
                        LuaScript holdLease, LuaScript releaseLease, LuaScript checkpoint, LuaScript takeOver,
                        LuaScript replaceAssignment, LuaScript takeGround, LuaScript moveCellsOfDead) {

    static DirectoryScripts load() {
        return new DirectoryScripts(LuaScript.resource("commit"), LuaScript.resource("create-player"),
                LuaScript.resource("write-session"), LuaScript.resource("remove-player"),
                LuaScript.resource("cas-game-state"), LuaScript.resource("propose-assignment"),
                LuaScript.resource("register-node"), LuaScript.resource("hold-lease"),
                LuaScript.resource("release-lease"), LuaScript.resource("checkpoint"),
                LuaScript.resource("take-over"), LuaScript.resource("replace-assignment"),
                LuaScript.resource("take-ground"), LuaScript.resource("move-cells-of-dead"));
    }

    List<LuaScript> all() {
        return List.of(commit, createPlayer, writeSession, removePlayer, casGameState, proposeAssignment,
                registerNode, holdLease, releaseLease, checkpoint, takeOver, replaceAssignment, takeGround,
                moveCellsOfDead);
    }
}
