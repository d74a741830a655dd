package org.geopigeon.engine.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.io.CoordinateCsv;
import org.geopigeon.engine.predict.EmbeddingLocator;
import org.geopigeon.engine.predict.Geolocator;
import org.geopigeon.engine.predict.LocateOptions;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.engine.predict.StageListener;
import org.geopigeon.engine.progress.PhaseListener;
import org.geopigeon.engine.train.Gallery;

/**
 * The evaluation pipelines, written once for every caller ({@code geopigeon evaluate}, the synthetic training
 * experiment, anything that scores a model): predictions for held-out photos or embeddings, scored with
 * {@link Evaluator} against their true positions (metrics: {@link ErrorMetrics}, IM2GPS/PIGEON convention).
 *
 * <ul>
 *   <li>{@link #oracle}: every truth at the centroid of its own geocell ({@link GeocellOracle}), the floor of any
 *       model predicting cell centroids;</li>
 *   <li>{@link #embeddings}: precomputed embeddings through {@link EmbeddingLocator} (galleries, synthetic
 *       experiments);</li>
 *   <li>{@link #images}: photos listed in a coordinate CSV, decoded and located in batches by {@link Geolocator}.</li>
 * </ul>
 * Rankings are scored over the top {@value #RANKED_CELLS} cells (geocell top-1/top-5).
 */
public final class Evaluation {

    /** Cells ranked per prediction: enough for the geocell top-5 figure. */
    public static final int RANKED_CELLS = 5;

    /** The phases of an image evaluation, for its {@link PhaseListener}. */
    public enum Phase {
        /** Photos decoded and located (progress in photos; a note per skipped photo). */
        IMAGES
    }

    /**
     * What one evaluation gives.
     *
     * @param report   the metrics and the geocell/country figures
     * @param errorsKm great-circle error of every scored prediction in km, in input order (for the error CDF)
     */
    public record Outcome(EvaluationReport report, double[] errorsKm) {
    }

    private Evaluation() {
    }

    /**
     * The geocell oracle: each truth predicted at the centroid of the cell containing it. Cell and country figures
     * are 100% by construction, so the report leaves them out (NaN).
     *
     * @param label what is evaluated, e.g. "geocell oracle: cells.geojson (2614 cells)"
     * @throws IllegalArgumentException when there are no cells or no truths
     */
    public static Outcome oracle(GeocellSet cells, List<LatLon> truth, String label) {
        double[] km = GeocellOracle.errorsKm(cells, truth);
        return new Outcome(new EvaluationReport(label, ErrorMetrics.fromDistances(km), Double.NaN, Double.NaN, Double.NaN,
                Double.NaN), km);
    }

    /**
     * A model bundle on precomputed embeddings (a gallery written by {@code train --save-gallery} or the Spark job).
     *
     * @param source     the gallery's name in the label ("val.safetensors")
     * @param refinement use the bundle's refinement index when it has one
     * @throws IOException when the embeddings' width is not what the bundle's head takes
     */
    public static Outcome gallery(ModelBundle model, Gallery gallery, String source, boolean refinement) throws IOException {
        if (gallery.dim() != model.head().dim()) {
            throw new IOException(source + ": embeddings have D = " + gallery.dim() + " but model '" + model.name()
                    + "' expects D = " + model.head().dim() + " (embed with this bundle's backbone)");
        }
        boolean refine = refinement && model.refinement().isPresent();
        EmbeddingLocator locator = EmbeddingLocator.of(model.head(), model.geocells(),
                refine ? model.refinement().get() : null, model.manifest().defaults(), RANKED_CELLS);
        return embeddings(locator, gallery, label(model.name(), source, refine));
    }

    /**
     * Precomputed embeddings through a locator (its refinement, if any), in parallel: the locator is thread-safe.
     *
     * @param test  embeddings with their true positions
     * @param label what is evaluated
     */
    public static Outcome embeddings(EmbeddingLocator locator, Gallery test, String label) {
        List<Evaluator.Scored> scored = IntStream.range(0, test.size()).parallel().mapToObj(i -> {
            EmbeddingLocator.Result r = locator.locate(test.embedding(i));
            return new Evaluator.Scored(r.location(), r.topCells(), r.refined());
        }).toList();
        return score(locator.cells(), label, scored, test.locations(), locator.refines());
    }

    /**
     * Photos listed in a coordinate CSV ({@code file,lat,lon}), decoded and located in batches of the bundle's
     * {@code batchSize}. A photo that cannot be decoded is skipped with a note naming it and its CSV line; the
     * metrics cover the others.
     *
     * @param rows       the CSV's rows (files relative to {@code folder})
     * @param folder     where the photos are
     * @param source     the CSV's name, for notes and the label
     * @param refinement use refinement when the bundle has an index
     * @throws IOException when none of the photos can be decoded
     */
    public static Outcome images(Geolocator geolocator, List<CoordinateCsv.Row> rows, Path folder, String source,
                                 boolean refinement, PhaseListener<Phase> listener) throws IOException {
        return images(geolocator, rows, folder, source, refinement, listener, new ImageDecoder());
    }

    /**
     * As {@link #images(Geolocator, List, Path, String, boolean, PhaseListener)}, decoding with {@code decoder}:
     * front ends pass the service's one rule set ({@code ImageRules#decoder()}), so a photo {@code locate} refuses
     * is skipped here too.
     */
    public static Outcome images(Geolocator geolocator, List<CoordinateCsv.Row> rows, Path folder, String source,
                                 boolean refinement, PhaseListener<Phase> listener, ImageDecoder decoder)
            throws IOException {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(decoder, "decoder");
        boolean refine = refinement && geolocator.canRefine();
        LocateOptions options = new LocateOptions(RANKED_CELLS, refine);
        int batch = geolocator.manifest().defaults().batchSize();
        List<Evaluator.Scored> scored = new ArrayList<>();
        List<LatLon> truth = new ArrayList<>();
        List<BufferedImage> pending = new ArrayList<>();
        List<LatLon> pendingTruth = new ArrayList<>();
        int skipped = 0;
        listener.started(Phase.IMAGES, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            CoordinateCsv.Row row = rows.get(i);
            try {
                pending.add(decoder.decode(folder.resolve(row.file())).rgb());
                pendingTruth.add(row.location());
            } catch (ImageRejectedException e) {
                skipped++;
                listener.note(Phase.IMAGES, "skip " + row.file() + " (" + source + " line " + row.line() + "): " + e.problem());
            }
            if (pending.size() == batch || (i == rows.size() - 1 && !pending.isEmpty())) {
                List<List<BufferedImage>> requests = pending.stream().map(List::of).toList();
                for (Prediction p : geolocator.locateBatch(requests, options, StageListener.NONE)) {
                    scored.add(new Evaluator.Scored(p.location(),
                            p.topCells().stream().mapToInt(c -> c.cell().index()).toArray(), p.refined()));
                }
                truth.addAll(pendingTruth);
                pending.clear();
                pendingTruth.clear();
            }
            listener.progressed(Phase.IMAGES, i + 1, rows.size());
        }
        if (scored.isEmpty()) {
            throw new IOException(source + ": none of the " + rows.size() + " listed images could be read from " + folder);
        }
        if (skipped > 0) {
            listener.note(Phase.IMAGES, skipped + " of " + rows.size() + " images skipped; metrics cover the other "
                    + scored.size());
        }
        return score(geolocator.geocells(), label(geolocator.manifest().name(), source, refine), scored, truth, refine);
    }

    /** "model on source (refinement on|off)". */
    static String label(String model, String source, boolean refine) {
        return model + " on " + source + (refine ? " (refinement on)" : " (refinement off)");
    }

    private static Outcome score(GeocellSet cells, String label, List<Evaluator.Scored> scored, List<LatLon> truth,
                                 boolean refine) {
        return new Outcome(new Evaluator(cells).evaluate(label, scored, truth, refine), Evaluator.errorsKm(scored, truth));
    }
}
