package io.worldmesh.handover;

/** Which end of a handover a node is on. */
public enum Side {
    SOURCE,
    TARGET
}
