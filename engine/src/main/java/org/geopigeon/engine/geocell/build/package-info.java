/**
 * Building PIGEON's semantic geocells (Haas et al., CVPR 2024, "semantic geocells"; reference code
 * LukasHaas/PIGEON, summarised in the project's shared method notes) from training points and administrative
 * boundaries. Data flow of {@link org.geopigeon.engine.geocell.build.GeocellBuilder#build}:
 *
 * <ol>
 *   <li>read points ({@code PhotoPointReader}: EXIF GPS of photos; or coordinate CSV) and boundary layers
 *       ({@code BoundaryReader}: GeoJSON or TopoJSON, cut at the antimeridian by {@code AntimeridianCutter});</li>
 *   <li>assign every point to country / admin-1 / admin-2 ({@code PolygonIndex}: covers, else nearest);</li>
 *   <li>fuse cells with fewer than MIN points inside their country ({@code CellFuser}; PIGEON merges into the
 *       largest neighbour, GeoPigeon by default into the one with the least Ward cost, {@code --fuse largest} restores
 *       PIGEON's rule);</li>
 *   <li>split cells with more than MAX points ({@code CellSplitter}: OPTICS from {@code cluster}, then Voronoi
 *       regions intersected with the cell);</li>
 *   <li>report ({@code BuildReport}) and hand a {@code GeocellSet} to {@code geocell}.</li>
 * </ol>
 * Progress is reported through {@code progress.PhaseListener} with {@code BuildPhase}. Coordinates are degrees, lon/lat
 * in JTS geometries; distances in km. Used by the CLI's {@code geocells build} and the benchmarks; never at
 * inference time.
 */
package org.geopigeon.engine.geocell.build;
