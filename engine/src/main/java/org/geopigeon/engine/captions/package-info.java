/**
 * PIGEON's synthetic captions (Haas et al., CVPR 2024, Sec. 3, adapted to open data): sentences about a place
 * made from facts this project ships ({@code sample-data/captions}: Natural Earth names, GeoNames cities500 (CC BY 4.0),
 * countries-list, the driving side table) and templates ({@code templates.txt}).
 * {@link org.geopigeon.engine.captions.CaptionData} loads the facts, {@link org.geopigeon.engine.captions.GeocellCaptioner}
 * writes about 12 captions per geocell (for zero-shot heads), {@link org.geopigeon.engine.captions.PhotoCaptioner} the
 * captions of one geotagged photo (cell facts plus month and season from its EXIF date, for pretraining).
 * {@code TownIndex} finds towns inside a cell or nearest to a point (km).
 *
 * <p>Used by {@code clip} (zero-shot heads) and {@code pretrain}; depends on {@code geocell} and {@code geo}. Change the
 * caption templates in {@code sample-data/captions/templates.txt}, not here.
 */
package org.geopigeon.engine.captions;
