package org.geopigeon.engine.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.geopigeon.engine.eval.ErrorMetrics;
import org.geopigeon.engine.geo.Haversine;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.DjlRuntime;
import org.geopigeon.engine.model.GeocellHead;

/**
 * Trains the geocell head, Linear(D, C), on frozen embeddings with DJL's PyTorch engine (first GPU
 * when libtorch sees one and the system property {@code geopigeon.device} is not "cpu").
 *
 * <p>Loss: cross-entropy against haversine-smoothed targets ({@link HaversineLabelSmoother}),
 * averaged over the batch; optimiser AdamW with a fixed learning rate and decoupled weight decay.
 * A seeded share of the rows is held out; after every epoch the top-1 cell centroid of each
 * validation row is compared with its true location and the epoch with the lowest median error is
 * kept (early stopping after {@code patience} epochs without improvement). Refinement is not used
 * for model selection: it needs an index per epoch and moves the median far less than the head does.
 *
 * <p>Deterministic for a given seed on one device: the split, the shuffles and the initial weights
 * (PyTorch's Linear default, U(-1/sqrt(D), 1/sqrt(D))) come from {@link Random}, and the engine seed
 * is set too.
 */
public final class HeadTrainer {

    private static final int EVAL_CHUNK = 4096;

    private final TrainingConfig config;
    private final TrainingListener listener;

    /** A silent trainer. */
    public HeadTrainer(TrainingConfig config) {
        this(config, TrainingListener.NONE);
    }

    /**
     * @param listener told {@link TrainingPhase#TRAIN}'s start (total = maximum epochs), every finished epoch and
     *                 early stopping; null for silence
     */
    public HeadTrainer(TrainingConfig config, TrainingListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /**
     * @param gallery embeddings and true coordinates
     * @param labels  class index of each gallery row (see {@link GeocellLabels})
     * @param cells   the geocells (centroids for smoothing and validation)
     */
    public TrainingResult train(Gallery gallery, int[] labels, GeocellSet cells) throws IOException {
        return train(gallery, labels, cells, null);
    }

    /**
     * Like {@link #train(Gallery, int[], GeocellSet)}, but starts from {@code start}'s weights and bias instead of
     * random ones (e.g. a zero-shot head from caption embeddings: {@code geopigeon train --init zeroshot}).
     *
     * @param start starting head [C, D], or null for PyTorch's default random initialisation
     * @throws IllegalArgumentException when start's shape is not [cells, gallery dimension]
     * @throws IOException              when DJL's PyTorch engine cannot start
     */
    public TrainingResult train(Gallery gallery, int[] labels, GeocellSet cells, GeocellHead start) throws IOException {
        if (start != null && (start.numCells() != cells.size() || start.dim() != gallery.dim())) {
            throw new IllegalArgumentException("initial head is [" + start.numCells() + ", " + start.dim() + "] but training needs ["
                    + cells.size() + ", " + gallery.dim() + "] (cells x embedding width)");
        }
        int n = gallery.size();
        int c = cells.size();
        int d = gallery.dim();
        if (labels.length != n) {
            throw new IllegalArgumentException("got " + labels.length + " labels for " + n + " gallery rows");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("label of row " + i + " is " + labels[i] + ", outside 0.." + (c - 1));
            }
        }
        int[] perm = shuffled(n, new Random(config.seed()));
        int valCount = (int) Math.round(n * config.valFraction());
        if (n - valCount < 1) {
            throw new IllegalArgumentException("no training rows left: " + n + " rows, " + valCount + " held out");
        }
        int[] val = java.util.Arrays.copyOfRange(perm, 0, valCount);
        int[] train = java.util.Arrays.copyOfRange(perm, valCount, n);
        HaversineLabelSmoother smoother = HaversineLabelSmoother.of(cells, config.tauKm(), config.smoothing(),
                config.normaliseTargets());

        // The same engine settings as inference (offline natives, -Dgeopigeon.threads, no inter-op pool) and the
        // same device rule (first GPU unless -Dgeopigeon.device=cpu).
        Engine engine = DjlRuntime.pytorch("to train the geocell head");
        engine.setRandomSeed((int) config.seed());
        Device device = DjlRuntime.device(engine);
        Random init = new Random(config.seed() ^ 0x5DEECE66DL);
        float bound = (float) (1 / Math.sqrt(d));
        Initializer uniform = (manager, shape, type) -> {
            float[] v = new float[Math.toIntExact(shape.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (init.nextFloat() * 2 - 1) * bound;
            }
            return manager.create(v, shape).toType(type, false);
        };
        Initializer weightInit = start == null ? uniform
                : (manager, shape, type) -> manager.create(start.weights(), shape).toType(type, false);
        Initializer biasInit = start == null ? uniform
                : (manager, shape, type) -> manager.create(start.biases(), shape).toType(type, false);
        try (Model model = Model.newInstance("geocell-head", device, "PyTorch")) {
            Linear linear = Linear.builder().setUnits(c).optBias(true).build();
            model.setBlock(linear);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(new SoftTargetCrossEntropy())
                    .optDevices(new Device[] {device})
                    .optInitializer(weightInit, Parameter.Type.WEIGHT)
                    .optInitializer(biasInit, Parameter.Type.BIAS)
                    .optOptimizer(Optimizer.adamW()
                            .optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                            .optWeightDecays((float) config.weightDecay())
                            .build());
            try (Trainer trainer = new Trainer(model, tc)) {
                trainer.initialize(new Shape(1, d));
                Parameter weight = linear.getParameters().get("weight");
                Parameter bias = linear.getParameters().get("bias");
                return loop(trainer, weight, bias, gallery, labels, cells, smoother, train, val, device);
            }
        }
    }

    private TrainingResult loop(Trainer trainer, Parameter weight, Parameter bias, Gallery gallery, int[] labels,
                                GeocellSet cells, HaversineLabelSmoother smoother, int[] train, int[] val, Device device) {
        int c = cells.size();
        int d = gallery.dim();
        Random shuffle = new Random(config.seed() + 1);
        List<EpochStats> history = new ArrayList<>();
        float[] bestW = null;
        float[] bestB = null;
        int bestEpoch = 0;
        double bestMedian = Double.POSITIVE_INFINITY;
        float[] xb = new float[config.batchSize() * d];
        float[] yb = new float[config.batchSize() * c];
        listener.started(TrainingPhase.TRAIN, config.epochs());
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long t0 = System.nanoTime();
            shuffleInPlace(train, shuffle);
            double lossSum = 0;
            for (int start = 0; start < train.length; start += config.batchSize()) {
                int b = Math.min(config.batchSize(), train.length - start);
                for (int j = 0; j < b; j++) {
                    int row = train[start + j];
                    gallery.copyEmbedding(row, xb, j * d);
                    smoother.targets(gallery.lat(row), gallery.lon(row), labels[row], yb, j * c);
                }
                try (NDManager m = trainer.getManager().newSubManager()) {
                    NDArray x = m.create(java.nio.FloatBuffer.wrap(xb, 0, b * d), new Shape(b, d));
                    NDArray y = m.create(java.nio.FloatBuffer.wrap(yb, 0, b * c), new Shape(b, c));
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                        gc.backward(loss);
                        lossSum += loss.getFloat() * b;
                    }
                    trainer.step();
                }
            }
            float[] w = weight.getArray().toType(DataType.FLOAT32, false).toFloatArray();
            float[] bi = bias.getArray().toType(DataType.FLOAT32, false).toFloatArray();
            EpochStats stats;
            if (val.length > 0) {
                double[] km = validationErrors(trainer.getManager(), w, bi, c, d, gallery, val, cells);
                ErrorMetrics.Result r = ErrorMetrics.fromDistances(km);
                stats = new EpochStats(epoch, lossSum / train.length, r.medianKm(), r.accuracyWithin(25),
                        r.accuracyWithin(200), r.accuracyWithin(750), (System.nanoTime() - t0) / 1e9);
            } else {
                stats = new EpochStats(epoch, lossSum / train.length, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        (System.nanoTime() - t0) / 1e9);
            }
            history.add(stats);
            listener.epochFinished(stats, config.epochs());
            listener.progressed(TrainingPhase.TRAIN, epoch, config.epochs());
            boolean better = val.length == 0 || stats.valMedianKm() < bestMedian;
            if (better) {
                bestMedian = val.length == 0 ? Double.NaN : stats.valMedianKm();
                bestEpoch = epoch;
                bestW = w;
                bestB = bi;
            } else if (epoch - bestEpoch >= config.patience()) {
                listener.note(TrainingPhase.TRAIN, String.format(Locale.ROOT,
                        "early stop: no better validation median for %d epochs; keeping epoch %d", config.patience(), bestEpoch));
                break;
            }
        }
        return new TrainingResult(new GeocellHead(c, d, bestW, bestB), bestEpoch, history, train.length, val.length,
                device.toString());
    }

    /** Great-circle error of the top-1 cell centroid for every validation row. */
    private static double[] validationErrors(NDManager parent, float[] w, float[] b, int c, int d, Gallery gallery,
                                             int[] val, GeocellSet cells) {
        double[] km = new double[val.length];
        try (NDManager m = parent.newSubManager()) {
            NDArray wt = m.create(w, new Shape(c, d)).transpose();
            NDArray bias = m.create(b, new Shape(c));
            float[] xb = new float[Math.min(EVAL_CHUNK, val.length) * d];
            for (int start = 0; start < val.length; start += EVAL_CHUNK) {
                int n = Math.min(EVAL_CHUNK, val.length - start);
                for (int j = 0; j < n; j++) {
                    gallery.copyEmbedding(val[start + j], xb, j * d);
                }
                try (NDManager chunk = m.newSubManager()) {
                    NDArray x = chunk.create(java.nio.FloatBuffer.wrap(xb, 0, n * d), new Shape(n, d));
                    long[] top = x.matMul(wt).add(bias).argMax(1).toLongArray();
                    for (int j = 0; j < n; j++) {
                        int row = val[start + j];
                        LatLon centroid = cells.get((int) top[j]).centroid();
                        km[start + j] = Haversine.km(gallery.lat(row), gallery.lon(row), centroid.lat(), centroid.lon());
                    }
                }
            }
        }
        return km;
    }

    static int[] shuffled(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffleInPlace(p, r);
        return p;
    }

    private static void shuffleInPlace(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
