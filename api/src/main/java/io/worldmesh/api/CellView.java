package io.worldmesh.api;

import java.util.List;

/** One cell during a tick: its players and entities, and its neighbours (the 3 x 3 block around it). */
public interface CellView {

    CellRef cell();

    List<? extends GamePlayer> players();

    List<? extends Entity> entities();

    /** This cell and the up to 8 cells around it that exist. */
    List<? extends CellView> neighbourhood();
}
