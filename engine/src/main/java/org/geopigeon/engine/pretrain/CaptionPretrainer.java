package org.geopigeon.engine.pretrain;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ModelBundle;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.io.AtomicFiles;
import org.geopigeon.engine.model.DjlRuntime;
import org.geopigeon.engine.preprocess.ClipPreprocessor;

/**
 * Synthetic-caption contrastive pretraining of the vision tower (PIGEON, Haas et al. CVPR 2024, §3: CLIP
 * pretrained further on geographic captions of its training images). Each step embeds a batch of photos with the
 * backbone's joint-space method ({@code clip.imageFeatures}), takes the frozen text tower's embeddings of one caption
 * per photo (a seeded random choice each epoch), and minimises CLIP's symmetric InfoNCE loss (Radford et al. 2021,
 * Fig. 3): the mean of the cross-entropies of logitScale * cos(image, caption) over rows and over columns, the
 * matching pair being the target. The logit scale is the bundle's, held fixed; the text tower is frozen, so its
 * embeddings are computed without gradients.
 *
 * <p>How a TorchScript module is trained through DJL: the backbone file is loaded with DJL's PyTorch option
 * {@code trainParam=true}, which leaves its parameters requiring gradients; {@code PtSymbolBlock} exposes the
 * module's own parameter tensors (shared storage, so the optimizer's in-place updates change the module). The
 * {@link Trainer} switches every parameter to requiring gradients when it is created, so parameters outside the
 * trainable set are frozen after that ({@code setRequiresGradient(false)}: autograd then skips them and AdamW has
 * no gradient to apply). The named method runs through the block's forward with an input array called
 * {@code module_method:NAME}; in training mode DJL keeps autograd on. The trained module is written back with
 * libtorch's own serialiser ({@code JniUtils.writeModule}), so the result is an ordinary TorchScript file with
 * both methods. Runs on the first GPU when libtorch sees one.
 *
 * <p>Photos are decoded and preprocessed batch by batch in every epoch (memory stays bounded by one batch).
 */
public final class CaptionPretrainer {

    private static final Pattern LAYER = Pattern.compile("^vision_model\\.encoder\\.layers\\.(\\d+)\\.");

    /**
     * @param epochLoss        mean loss of each epoch
     * @param trainableTensors parameter tensors updated
     * @param trainableValues  parameter values updated
     * @param totalValues      parameter values in the backbone
     * @param pairs            photo-caption pairs per epoch
     * @param device           where training ran
     * @param seconds          wall time
     */
    public record Result(List<Double> epochLoss, int trainableTensors, long trainableValues, long totalValues,
                         int pairs, String device, double seconds) {
        public Result {
            epochLoss = List.copyOf(epochLoss);
        }
    }

    private final PretrainConfig config;
    private final Consumer<String> progress;

    /** @param progress per-epoch lines (stderr in the CLI), or null */
    public CaptionPretrainer(PretrainConfig config, Consumer<String> progress) {
        this.config = Objects.requireNonNull(config, "config");
        this.progress = progress;
    }

    /**
     * Trains the backbone of {@code clip}'s bundle and writes the new TorchScript file.
     *
     * @param clip        the CLIP bundle (its text tower gives the caption embeddings)
     * @param photos      photos with captions, at least 2
     * @param backboneOut where to write the trained TorchScript module (written atomically)
     * @throws IOException when the backbone cannot be loaded or written, or no photo can be decoded
     */
    public Result train(ClipModel clip, List<CaptionedPhoto> photos, Path backboneOut) throws IOException {
        if (photos.size() < 2) {
            throw new IllegalArgumentException("caption pretraining needs at least 2 photos, got " + photos.size());
        }
        BundleManifest m = clip.manifest();
        Path backboneFile = ModelBundle.memberOf(clip.directory(), "backbone.file", m.backbone().file());
        int size = m.backbone().inputSize();
        ClipPreprocessor preprocessor = new ClipPreprocessor(m.preprocessConfig(size));
        ImageDecoder decoder = new ImageDecoder();
        String markerName = "module_method:" + m.clip().imageFeatures();
        float scale = (float) clip.logitScale();

        Engine engine = DjlRuntime.pytorch("to pretrain the vision tower");
        engine.setRandomSeed((int) config.seed());
        Device device = DjlRuntime.device(engine);
        long t0 = System.nanoTime();
        try (Model model = Model.newInstance("pretrain", device, "PyTorch")) {
            try {
                model.load(backboneFile.toAbsolutePath(), null, Map.of("mapLocation", "true", "trainParam", "true"));
            } catch (MalformedModelException | RuntimeException e) {
                throw new IOException(backboneFile + ": not a loadable TorchScript module (" + e.getMessage() + ")", e);
            }
            PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss()) // loss computed below, not by the trainer
                    .optDevices(new Device[] {device})
                    .optOptimizer(Optimizer.adamW()
                            .optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                            .optWeightDecays((float) config.weightDecay())
                            .build());
            try (Trainer trainer = model.newTrainer(tc)) {
                long[] counts = freeze(block);
                say("training %d of %d parameter tensors (%,d of %,d values) on %s", (int) counts[0], (int) counts[1],
                        counts[2], counts[3], device);
                List<Double> losses = new ArrayList<>();
                Random random = new Random(config.seed());
                int pixels = preprocessor.imageLength();
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    long te = System.nanoTime();
                    List<Integer> order = new ArrayList<>();
                    for (int i = 0; i < photos.size(); i++) {
                        order.add(i);
                    }
                    java.util.Collections.shuffle(order, random);
                    double lossSum = 0;
                    int pairs = 0;
                    for (int start = 0; start < order.size(); start += config.batchSize()) {
                        List<Integer> ids = order.subList(start, Math.min(order.size(), start + config.batchSize()));
                        float[] batch = new float[ids.size() * pixels];
                        List<String> captions = new ArrayList<>();
                        for (int idx : ids) {
                            CaptionedPhoto p = photos.get(idx);
                            String caption = p.captions().get(random.nextInt(p.captions().size()));
                            DecodedImage img;
                            try {
                                img = decoder.decode(p.file());
                            } catch (ImageRejectedException e) {
                                say("skip %s: %s", p.file().getFileName(), e.getMessage());
                                continue;
                            }
                            preprocessor.toChw(img.rgb(), batch, captions.size() * pixels);
                            captions.add(caption);
                        }
                        int b = captions.size();
                        if (b < 2) {
                            continue; // a contrastive step needs a negative
                        }
                        float[][] text = clip.textEmbeddings(captions, b);
                        try (NDManager mm = trainer.getManager().newSubManager()) {
                            NDArray x = mm.create(java.nio.FloatBuffer.wrap(batch, 0, b * pixels), new Shape(b, 3, size, size));
                            NDArray marker = mm.create(0f);
                            marker.setName(markerName);
                            NDArray t = mm.create(flatten(text), new Shape(b, text[0].length));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray f = trainer.forward(new NDList(x, marker)).singletonOrThrow();
                                NDArray loss = symmetricInfoNce(f, t, scale);
                                gc.backward(loss);
                                lossSum += loss.getFloat() * b;
                                pairs += b;
                            }
                            trainer.step();
                        }
                    }
                    if (pairs == 0) {
                        throw new IOException("no batch of at least 2 decodable photos: nothing to train on");
                    }
                    losses.add(lossSum / pairs);
                    say("epoch %d/%d  contrastive loss %.4f  (%d pairs, %.1f s)", epoch, config.epochs(), lossSum / pairs,
                            pairs, (System.nanoTime() - te) / 1e9);
                }
                JniUtils.enableInferenceMode(block);
                write(block, backboneOut);
                return new Result(losses, (int) counts[0], counts[2], counts[3], photos.size(), device.toString(),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /**
     * CLIP's loss: logits = scale * normalise(image) · textᵀ (text rows already normalised); the mean over the
     * batch of the cross-entropy of each row and of each column against the diagonal, averaged.
     */
    static NDArray symmetricInfoNce(NDArray imageFeatures, NDArray normalisedText, float scale) {
        int b = (int) imageFeatures.getShape().get(0);
        NDArray img = imageFeatures.div(imageFeatures.norm(new int[] {1}, true));
        NDArray logits = img.matMul(normalisedText.transpose()).mul(scale);
        NDArray eye = logits.getManager().eye(b);
        NDArray rows = logits.logSoftmax(1).mul(eye).sum();
        NDArray cols = logits.logSoftmax(0).mul(eye).sum();
        return rows.add(cols).neg().div(2f * b);
    }

    /**
     * Freezes everything outside the trainable set; returns {trainable tensors, all tensors, trainable values,
     * all values}. Must run after the Trainer exists (it turns gradients on for every parameter).
     */
    private long[] freeze(PtSymbolBlock block) {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : block.getParameters().keys()) {
            Matcher mt = LAYER.matcher(name);
            if (mt.find()) {
                layers.add(Integer.parseInt(mt.group(1)));
            }
        }
        int firstTrainable = config.trainableBlocks() < 0 || layers.isEmpty() ? Integer.MIN_VALUE
                : layers.last() + 1 - config.trainableBlocks();
        long[] c = new long[4];
        for (var e : block.getParameters()) {
            String name = e.getKey();
            Parameter p = e.getValue();
            Matcher mt = LAYER.matcher(name);
            boolean trainable = config.trainableBlocks() < 0
                    || (mt.find() ? Integer.parseInt(mt.group(1)) >= firstTrainable
                    : name.startsWith("vision_model.post_layernorm.") || name.startsWith("visual_projection."));
            p.freeze(!trainable);
            p.getArray().setRequiresGradient(trainable);
            long values = p.getArray().size();
            c[1]++;
            c[3] += values;
            if (trainable) {
                c[0]++;
                c[2] += values;
            }
        }
        return c;
    }

    private static void write(PtSymbolBlock block, Path out) throws IOException {
        AtomicFiles.write(out, tmp -> {
            try (OutputStream os = Files.newOutputStream(tmp)) {
                JniUtils.writeModule(block, os, false);
            } catch (RuntimeException e) {
                throw new IOException(out + ": cannot write the trained module (" + e.getMessage() + ")", e);
            }
        });
    }

    private static float[] flatten(float[][] rows) {
        int p = rows[0].length;
        float[] out = new float[rows.length * p];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * p, p);
        }
        return out;
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.accept(String.format(Locale.ROOT, format, args));
        }
    }
}
