package org.geopigeon.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.geopigeon.engine.bundle.BundleException;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.service.ImageRules;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.preprocess.ClipPreprocessor;
import org.geopigeon.engine.train.GalleryBuilder;

/**
 * The task of gallery building: the embedding step of {@code geopigeon train} ({@link GalleryBuilder})
 * per partition: decode ({@link ImageDecoder}), take the location from the locations CSV or else the
 * photo's EXIF GPS, preprocess as the bundle prescribes ({@link GalleryBuilder#preprocessConfig},
 * {@link ClipPreprocessor}), and embed with the bundle's backbone in batches of its {@code batchSize}.
 * Input rows: {@code path, length, content, lat, lon} (lat/lon from the CSV, else null). Output:
 * {@link #SCHEMA}; a photo that cannot be used is a row with its reason, never a task failure.
 */
public final class GalleryEmbedder implements MapPartitionsFunction<Row, Row> {

    /** path, lat, lon, embedding (null when skipped), skip_code, skip_reason. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("lat", DataTypes.DoubleType, true),
            DataTypes.createStructField("lon", DataTypes.DoubleType, true),
            DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), true),
            DataTypes.createStructField("skip_code", DataTypes.StringType, true),
            DataTypes.createStructField("skip_reason", DataTypes.StringType, true)});

    /** Skip code of photos without a position (no CSV row and no EXIF GPS). */
    public static final String NO_LOCATION = "NO_LOCATION";

    private final BundleRef bundle;
    private final String precision;
    private final long maxBytes;

    /**
     * @param bundle    where executors find the model bundle
     * @param precision inference precision (part of the model cache key)
     * @param maxBytes  the decoder's size limit, bytes
     */
    public GalleryEmbedder(BundleRef bundle, String precision, long maxBytes) {
        this.bundle = bundle;
        this.precision = precision;
        this.maxBytes = maxBytes;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) throws BundleException {
        ExecutorModels.Loaded model = ExecutorModels.get(bundle.resolve(), precision);
        Backbone backbone = model.bundle().backbone();
        ClipPreprocessor preprocessor = new ClipPreprocessor(
                GalleryBuilder.preprocessConfig(model.bundle().manifest(), backbone.inputSize()));
        int batchSize = model.bundle().manifest().defaults().batchSize();
        // The service's rules (ImageRules: 80 MP, 32 px minimum side) with this job's byte limit, as train --photos.
        ImageDecoder decoder = new ImageRules(ImageRules.DEFAULT_MIN_SIDE, ImageRules.DEFAULT_MAX_PIXELS, maxBytes).decoder();
        return new Iterator<>() {
            private Iterator<Row> ready = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!ready.hasNext() && input.hasNext()) {
                    List<Row> batch = new ArrayList<>(batchSize);
                    while (batch.size() < batchSize && input.hasNext()) {
                        batch.add(input.next());
                    }
                    ready = embed(batch, backbone, preprocessor, decoder).iterator();
                }
                return ready.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.next();
            }
        };
    }

    private List<Row> embed(List<Row> batch, Backbone backbone, ClipPreprocessor pre, ImageDecoder decoder) {
        int pixels = pre.imageLength();
        float[] nchw = new float[batch.size() * pixels];
        List<Row> out = new ArrayList<>(batch.size());
        List<Integer> slot = new ArrayList<>();
        List<LatLon> where = new ArrayList<>();
        for (Row r : batch) {
            String path = r.getString(0);
            LatLon listed = r.isNullAt(3) || r.isNullAt(4) ? null : new LatLon(r.getDouble(3), r.getDouble(4));
            DecodedImage img;
            try {
                img = decoder.decode((byte[]) r.get(2), path);
            } catch (ImageRejectedException e) {
                out.add(skipped(path, e.reason().name(), PartitionLocator.problem(e)));
                continue;
            } catch (RuntimeException e) {
                out.add(skipped(path, ImageRejectedException.Reason.CORRUPT.name(), "cannot be decoded ("
                        + (e.getMessage() == null ? "no detail" : e.getMessage()) + ")"));
                continue;
            }
            LatLon loc = listed != null ? listed : img.exifGps();
            if (loc == null) {
                out.add(skipped(path, NO_LOCATION, "no EXIF GPS position and no row in the locations CSV"));
                continue;
            }
            pre.toChw(img.rgb(), nchw, slot.size() * pixels);
            slot.add(out.size());
            where.add(loc);
            out.add(null); // filled after the forward pass
        }
        if (!slot.isEmpty()) {
            int n = slot.size();
            float[][] e = backbone.embed(n == batch.size() ? nchw : Arrays.copyOf(nchw, n * pixels), n);
            for (int i = 0; i < n; i++) {
                Row src = batch.get(slot.get(i));
                Float[] boxed = new Float[e[i].length];
                for (int j = 0; j < boxed.length; j++) {
                    boxed[j] = e[i][j];
                }
                out.set(slot.get(i), RowFactory.create(src.getString(0), where.get(i).lat(), where.get(i).lon(),
                        scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(boxed)).toSeq(), null, null));
            }
        }
        return out;
    }

    private static Row skipped(String path, String code, String reason) {
        return RowFactory.create(path, null, null, null, code, reason);
    }
}
