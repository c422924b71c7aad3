package io.worldmesh.api;

import java.util.List;

/**
 * One cell during a tick: its active players and entities, and its neighbours (the 3 x 3 block of the grid around
 * it). A cell this node does not own is always empty here.
 */
public interface CellView {

    CellRef cell();

    List<? extends GamePlayer> players();

    List<? extends Entity> entities();

    /** This cell and the up to 8 cells around it that exist, owned or not. */
    List<? extends CellView> neighbourhood();
}
