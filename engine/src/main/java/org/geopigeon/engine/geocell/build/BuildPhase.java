package org.geopigeon.engine.geocell.build;

/**
 * The phases of {@link GeocellBuilder#build}, in order, for its
 * {@link org.geopigeon.engine.progress.PhaseListener}.
 */
public enum BuildPhase {
    /** What the inputs held: rows or photos skipped, boundary polygons repaired or left out (notes only). */
    INPUT,
    /** Every point to the finest boundary unit covering it, else the nearest one (progress in points). */
    ASSIGN,
    /** One cell per unit with points; empty units join the nearest cell of their country. */
    ATTACH,
    /** Cells below MIN points merge with neighbours in their country ({@link CellFuser}). */
    FUSE,
    /** Cells above MAX points split with OPTICS + Voronoi ({@link CellSplitter}; progress in splits). */
    SPLIT
}
