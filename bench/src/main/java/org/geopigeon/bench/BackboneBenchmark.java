package org.geopigeon.bench;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.model.CpuFeatures;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.model.PrecisionAgreement;
import org.geopigeon.engine.model.TorchScriptBackbone;
import org.geopigeon.engine.preprocess.ClipPreprocessor;
import org.geopigeon.engine.preprocess.PreprocessConfig;

/**
 * Throughput of the inference hot path on this machine, per precision: CLIP preprocessing; the TorchScript
 * backbone through DJL at batch 1 and 8 in fp32, bf16 and int8 (the variant files written next to the fp32
 * file by tools/export_precision_variants.py); the same fp32 file in Python torch, plain and under bf16
 * autocast (Python's best CPU mode), with the same thread count; the ratios; libtorch's fp32 and bf16
 * matrix-product rate measured through DJL; and the accuracy guard (each precision's embeddings against
 * fp32 on real photos). Prints figures, asserts nothing.
 *
 * <pre>
 * java -cp ... org.geopigeon.bench.BackboneBenchmark --backbone /tmp/geopigeon-bench/vitl14_336.pt
 *      [--precision fp32|bf16|int8|fp16|all] [--python /usr/bin/python3 | --no-python]
 *      [--threads N] [--warmup 2] [--iters 5] [--warmup8 1] [--iters8 2] [--graph-optimizer true|false]
 *      [--photos DIR] [--guard-limit N] [--no-guard] [--probe FILE] [--size 336]
 * </pre>
 * tools/benchmark.sh builds the files and runs this in one command.
 */
public final class BackboneBenchmark {

    /** One measured line of the report. */
    record Throughput(String runtime, String precision, int batch, int iters, double imagesPerSecond,
                      double bestMsPerBatch) {
    }

    record Options(Path backbone, List<Precision> precisions, String python, Path pythonScript, int size, int threads,
                   int warmup, int iters, int warmup8, int iters8, boolean graphOptimizer, int preprocessIters,
                   Path photos, int guardLimit, boolean guard, Path probe) {

        static Options parse(String[] args) {
            Path backbone = null;
            String precision = "all";
            String python = "/usr/bin/python3";
            Path script = null;
            int size = 336;
            int threads = Runtime.getRuntime().availableProcessors();
            int warmup = 2;
            int iters = 5;
            int warmup8 = 1;
            int iters8 = 2;
            boolean graph = Boolean.parseBoolean(System.getProperty("ai.djl.pytorch.graph_optimizer", "false"));
            int pre = 30;
            Path photos = null;
            int guardLimit = 24;
            boolean guard = true;
            Path probe = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--backbone" -> backbone = Path.of(value(args, ++i, a));
                    case "--precision" -> precision = value(args, ++i, a);
                    case "--python" -> python = value(args, ++i, a);
                    case "--no-python" -> python = null;
                    case "--python-script" -> script = Path.of(value(args, ++i, a));
                    case "--size" -> size = Integer.parseInt(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, a));
                    case "--iters" -> iters = Integer.parseInt(value(args, ++i, a));
                    case "--warmup8" -> warmup8 = Integer.parseInt(value(args, ++i, a));
                    case "--iters8" -> iters8 = Integer.parseInt(value(args, ++i, a));
                    case "--graph-optimizer" -> graph = Boolean.parseBoolean(value(args, ++i, a));
                    case "--preprocess-iters" -> pre = Integer.parseInt(value(args, ++i, a));
                    case "--photos" -> photos = Path.of(value(args, ++i, a));
                    case "--guard-limit" -> guardLimit = Integer.parseInt(value(args, ++i, a));
                    case "--no-guard" -> guard = false;
                    case "--probe" -> probe = Path.of(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (backbone == null) {
                throw new IllegalArgumentException("--backbone FILE is required (make one with tools/make_bench_backbone.py)");
            }
            if (script == null) {
                script = findUp(Path.of("tools", "bench_python_backbone.py"));
            }
            if (photos == null) {
                photos = findUp(Path.of("shared", "data", "photos"));
            }
            if (probe == null) {
                probe = backbone.toAbsolutePath().getParent().resolve("matmul_probe.pt");
            }
            List<Precision> precisions = precision.equals("all")
                    ? List.of(Precision.FP32, Precision.BF16, Precision.INT8) : new ArrayList<>();
            if (precisions.isEmpty()) {
                precisions.add(Precision.FP32); // the reference for ratios and the accuracy guard
                for (String p : precision.split(",")) {
                    Precision x = Precision.parse(p);
                    if (!precisions.contains(x)) {
                        precisions.add(x);
                    }
                }
            }
            return new Options(backbone, List.copyOf(precisions), python, script, size, threads, warmup, iters, warmup8,
                    iters8, graph, pre, photos, guardLimit, guard, probe);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    private BackboneBenchmark() {
    }

    /**
     * Prints throughput per precision (and Python's, when asked); options as the class comment and {@code
     * tools/benchmark.sh} describe. Exit code 2 with a message on a bad option.
     */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("BackboneBenchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Must be set before DJL starts the PyTorch engine; the same values go to the Python run.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(o.threads()));
        System.setProperty("ai.djl.pytorch.graph_optimizer", Boolean.toString(o.graphOptimizer()));
        System.setProperty("ai.djl.offline", "true");

        CpuFeatures cpu = CpuFeatures.detect();
        System.out.printf(Locale.ROOT, "backbone %s (%.2f GB), input %d px, %d intra-op threads, graph optimizer %s%n",
                o.backbone(), Files.size(o.backbone()) / 1e9, o.size(), o.threads(), o.graphOptimizer());
        System.out.printf(Locale.ROOT, "CPU: %s, %d cores, native bf16: %s; load average %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), cpu.bf16Flags(), RefinementIndexBenchmark.loadAverage());
        List<Throughput> rows = new ArrayList<>();
        rows.add(preprocessing(o));
        matmulRates(o);
        Map<Precision, float[][]> guard = new EnumMap<>(Precision.class);
        List<float[]> photos = o.guard() ? guardPhotos(o) : List.of();
        // Python runs in a worker process that times one pass on request: each Python pass follows or precedes
        // the DJL pass of the same precision and batch, so both runtimes see the same load on a shared machine.
        try (PythonWorker python = PythonWorker.start(o)) {
            for (Precision p : o.precisions()) {
                Path file = variant(o.backbone(), p);
                if (!Files.isRegularFile(file)) {
                    System.out.println("DJL " + p + ": skipped, " + file + " not found (tools/make_bench_backbone.py writes it)");
                    continue;
                }
                String pyMode = p == Precision.FP32 ? "fp32" : p == Precision.BF16 ? "bf16-autocast" : null;
                long t0 = System.nanoTime();
                try (TorchScriptBackbone b = TorchScriptBackbone.load(file, o.size(), p == Precision.FP32 ? null : p)) {
                    System.out.printf(Locale.ROOT, "DJL %s: %s loaded in %.1f s on %s, D = %d, %s image(s) per forward"
                                    + " pass, load average %s%n", p, file.getFileName(), (System.nanoTime() - t0) / 1e9,
                            b.device(), b.embeddingDim(), b.imagesPerPass() == Integer.MAX_VALUE ? "all"
                                    : Integer.toString(b.imagesPerPass()), RefinementIndexBenchmark.loadAverage());
                    rows.addAll(interleaved(b, p, python, pyMode, 1, o.warmup(), o.iters()));
                    rows.addAll(interleaved(b, p, python, pyMode, 8, o.warmup8(), o.iters8()));
                    if (!photos.isEmpty()) {
                        guard.put(p, embedAll(b, photos));
                    }
                }
            }
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-30s %-14s %6s %6s %12s %14s%n", "runtime", "precision", "batch", "iters",
                "images/s", "best ms/batch");
        for (Throughput t : rows) {
            System.out.printf(Locale.ROOT, "%-30s %-14s %6d %6d %12.3f %14.1f%n", t.runtime(), t.precision(), t.batch(),
                    t.iters(), t.imagesPerSecond(), t.bestMsPerBatch());
        }
        System.out.println();
        ratios(rows, o);
        if (!guard.isEmpty()) {
            accuracyGuard(guard, photos.size());
        }
        System.out.println("load average after run: " + RefinementIndexBenchmark.loadAverage());
    }

    /** FILE.pt for fp32, FILE.bf16.pt etc. for the variants (tools/export_precision_variants.py naming). */
    static Path variant(Path fp32, Precision p) {
        if (p == Precision.FP32) {
            return fp32;
        }
        String name = fp32.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? ".pt" : name.substring(dot);
        return fp32.resolveSibling(stem + "." + p.id() + ext);
    }

    private static void ratios(List<Throughput> rows, Options o) {
        for (int batch : new int[] {1, 8}) {
            Throughput djlBf16 = find(rows, "DJL", "bf16", batch);
            Throughput pyAutocast = find(rows, "Python", "bf16-autocast", batch);
            if (djlBf16 != null && pyAutocast != null) {
                double r = djlBf16.imagesPerSecond() / pyAutocast.imagesPerSecond();
                System.out.printf(Locale.ROOT, "ratio DJL bf16 / Python bf16-autocast, batch %d: %.2f (best-of %.2f)%s%n",
                        batch, r, pyAutocast.bestMsPerBatch() / djlBf16.bestMsPerBatch(),
                        batch == 1 ? " (goal >= 1.2: " + (r >= 1.2 ? "met" : "NOT met") + ")" : "");
            }
            Throughput djl32 = find(rows, "DJL", "fp32", batch);
            Throughput py32 = find(rows, "Python", "fp32", batch);
            if (djl32 != null && py32 != null) {
                System.out.printf(Locale.ROOT, "ratio DJL fp32 / Python fp32, batch %d: %.2f (best-of %.2f)%n", batch,
                        djl32.imagesPerSecond() / py32.imagesPerSecond(), py32.bestMsPerBatch() / djl32.bestMsPerBatch());
            }
        }
        for (Precision p : o.precisions()) {
            Throughput b1 = find(rows, "DJL", p.id(), 1);
            Throughput b8 = find(rows, "DJL", p.id(), 8);
            if (b1 != null && b8 != null) {
                double r = b8.imagesPerSecond() / b1.imagesPerSecond();
                System.out.printf(Locale.ROOT, "DJL %s batch 8 per image vs batch 1: %.2f (goal >= 1.0: %s)%n", p, r,
                        r >= 1.0 ? "met" : "NOT met");
            }
            Throughput f = find(rows, "DJL", "fp32", 1);
            if (p != Precision.FP32 && b1 != null && f != null) {
                System.out.printf(Locale.ROOT, "DJL %s / DJL fp32, batch 1: %.2f%n", p, b1.imagesPerSecond() / f.imagesPerSecond());
            }
        }
    }

    /**
     * The accuracy guard: each precision's embeddings of the photos against fp32's, and top-1 / top-5 geocell
     * agreement under a random head (2,000 cells, Gaussian weights, seeded). The bench backbone has random
     * weights, so these figures measure numerical fidelity, not geolocation accuracy.
     */
    private static void accuracyGuard(Map<Precision, float[][]> embeddings, int photos) {
        float[][] ref = embeddings.get(Precision.FP32);
        if (ref == null) {
            return;
        }
        int d = ref[0].length;
        int cells = 2000;
        SplittableRandom r = new SplittableRandom(20240601);
        float[] w = new float[cells * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() / Math.sqrt(d));
        }
        GeocellHead head = new GeocellHead(cells, d, w, new float[cells]);
        for (Map.Entry<Precision, float[][]> e : embeddings.entrySet()) {
            if (e.getKey() == Precision.FP32) {
                continue;
            }
            PrecisionAgreement a = PrecisionAgreement.of(ref, e.getValue(), head);
            String goal = e.getKey() == Precision.BF16
                    ? " (goal min cosine >= 0.999: " + (a.minCosine() >= 0.999 ? "met" : "NOT met") + ")" : "";
            System.out.println("accuracy guard " + e.getKey() + " vs fp32 on " + photos + " photos: " + a.summary() + goal);
        }
    }

    private static float[][] embedAll(TorchScriptBackbone b, List<float[]> photos) {
        int per = photos.get(0).length;
        float[][] out = new float[photos.size()][];
        for (int start = 0; start < photos.size(); start += 8) {
            int n = Math.min(8, photos.size() - start);
            float[] x = new float[n * per];
            for (int i = 0; i < n; i++) {
                System.arraycopy(photos.get(start + i), 0, x, i * per, per);
            }
            System.arraycopy(b.embed(x, n), 0, out, start, n);
        }
        return out;
    }

    /** The real photos for the accuracy guard, decoded and preprocessed (CLIP defaults at the benchmark size). */
    private static List<float[]> guardPhotos(Options o) throws IOException {
        ClipPreprocessor pre = new ClipPreprocessor(PreprocessConfig.clipDefaults(o.size()));
        if (o.photos() == null || !Files.isDirectory(o.photos())) {
            System.out.println("accuracy guard: no photo folder (../shared/data/photos or --photos DIR): using 8"
                    + " synthetic images instead");
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                float[] chw = new float[pre.imageLength()];
                pre.toChw(syntheticPhoto(640 + 37 * i, 480 + 11 * i), chw, 0);
                out.add(chw);
            }
            return out;
        }
        ImageDecoder decoder = new ImageDecoder();
        List<float[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(o.photos())) {
            for (Path f : files.sorted().toList()) {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (out.size() >= o.guardLimit() || !(n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"))) {
                    continue;
                }
                try {
                    float[] chw = new float[pre.imageLength()];
                    pre.toChw(decoder.decode(f).rgb(), chw, 0);
                    out.add(chw);
                } catch (ImageRejectedException e) {
                    System.out.println("accuracy guard: skip " + f.getFileName() + ": " + e.getMessage());
                }
            }
        }
        System.out.println("accuracy guard: " + out.size() + " photos from " + o.photos());
        return out;
    }

    /** Preprocessing of a 1600x1200 synthetic photo (decode excluded): resize + crop + normalise. */
    static Throughput preprocessing(Options o) {
        BufferedImage img = syntheticPhoto(1600, 1200);
        ClipPreprocessor pre = new ClipPreprocessor(PreprocessConfig.clipDefaults(o.size()));
        for (int i = 0; i < 5; i++) {
            pre.toChw(img);
        }
        double best = Double.MAX_VALUE;
        long start = System.nanoTime();
        for (int i = 0; i < o.preprocessIters(); i++) {
            long t0 = System.nanoTime();
            pre.toChw(img);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        double s = (System.nanoTime() - start) / 1e9;
        Throughput t = new Throughput("preprocess 1600x1200 (Java)", "1 thread", 1, o.preprocessIters(),
                o.preprocessIters() / s, best);
        System.out.printf(Locale.ROOT, "preprocess 1600x1200 -> %d: %.1f images/s on 1 thread%n", o.size(), t.imagesPerSecond());
        return t;
    }

    /** libtorch's 2048x2048 matrix-product rate in fp32 and bf16, through DJL (the probe module casts inside). */
    static void matmulRates(Options o) {
        if (!Files.isRegularFile(o.probe())) {
            System.out.println("DJL matrix products: skipped, " + o.probe() + " not found (tools/make_bench_backbone.py)");
            return;
        }
        int n = 2048;
        int reps = 10;
        try (Model model = Model.newInstance("matmul-probe", Device.cpu(), "PyTorch")) {
            model.load(o.probe().toAbsolutePath(), null, Map.of("mapLocation", "true"));
            Map<String, Double> rates = new LinkedHashMap<>();
            for (boolean bf16 : new boolean[] {false, true}) {
                try (NDManager m = model.getNDManager().newSubManager();
                     Predictor<NDList, NDList> p = model.newPredictor(new NoopTranslator())) {
                    var a = m.randomNormal(new Shape(n, n));
                    var b = m.randomNormal(0, (float) (1 / Math.sqrt(n)), new Shape(n, n), ai.djl.ndarray.types.DataType.FLOAT32);
                    var flag = m.create(new float[] {bf16 ? 1 : 0});
                    p.predict(new NDList(a, b, m.create(new float[] {2}), flag)).close(); // warm-up
                    double one = Double.MAX_VALUE;
                    double many = Double.MAX_VALUE;
                    for (int trial = 0; trial < 3; trial++) {
                        long t0 = System.nanoTime();
                        p.predict(new NDList(a, b, m.create(new float[] {1}), flag)).close();
                        long t1 = System.nanoTime();
                        p.predict(new NDList(a, b, m.create(new float[] {reps + 1}), flag)).close();
                        long t2 = System.nanoTime();
                        one = Math.min(one, (t1 - t0) / 1e9);
                        many = Math.min(many, (t2 - t1) / 1e9);
                    }
                    // best of three each; the difference is reps products (the cast and one product cancel out)
                    rates.put(bf16 ? "bf16" : "fp32", 2.0 * n * n * (double) n * reps / (many - one) / 1e9);
                }
            }
            System.out.printf(Locale.ROOT, "DJL (libtorch) 2048x2048 matrix product: fp32 %.0f GFLOP/s, bf16 %.0f GFLOP/s"
                            + " (%d threads)%n", rates.get("fp32"), rates.get("bf16"), o.threads());
        } catch (IOException | MalformedModelException | TranslateException | RuntimeException e) {
            System.out.println("DJL matrix products: failed (" + e.getMessage() + ")");
        }
    }

    /**
     * Times DJL and (when {@code python} and {@code pyMode} are set) Python on the same random batch, one pass
     * each in turn, alternating which goes first.
     */
    static List<Throughput> interleaved(TorchScriptBackbone b, Precision p, PythonWorker python, String pyMode, int batch,
                                        int warmup, int iters) throws IOException {
        float[] x = new float[batch * 3 * b.inputSize() * b.inputSize()];
        SplittableRandom r = new SplittableRandom(batch);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-2, 2);
        }
        boolean withPython = python != null && pyMode != null;
        for (int i = 0; i < warmup; i++) {
            b.embed(x, batch);
            if (withPython) {
                python.time(pyMode, batch);
            }
        }
        double[] djl = new double[iters];
        double[] py = new double[iters];
        for (int i = 0; i < iters; i++) {
            if (withPython && i % 2 == 1) {
                py[i] = python.time(pyMode, batch) * 1000;
            }
            long t0 = System.nanoTime();
            b.embed(x, batch);
            djl[i] = (System.nanoTime() - t0) / 1e6;
            if (withPython && i % 2 == 0) {
                py[i] = python.time(pyMode, batch) * 1000;
            }
        }
        List<Throughput> out = new ArrayList<>();
        Throughput d = throughput("DJL " + b.device(), p.id(), batch, djl);
        out.add(d);
        System.out.printf(Locale.ROOT, "DJL %s batch %d: %.3f images/s (best %.0f ms/batch, load average %s)%n", p, batch,
                d.imagesPerSecond(), d.bestMsPerBatch(), RefinementIndexBenchmark.loadAverage());
        if (withPython) {
            Throughput t = throughput("Python " + python.version(), pyMode, batch, py);
            out.add(t);
            System.out.printf(Locale.ROOT, "Python %s batch %d: %.3f images/s (best %.0f ms/batch, load average %s)%n",
                    pyMode, batch, t.imagesPerSecond(), t.bestMsPerBatch(), RefinementIndexBenchmark.loadAverage());
        }
        return out;
    }

    private static Throughput throughput(String runtime, String precision, int batch, double[] ms) {
        double total = 0;
        double best = Double.MAX_VALUE;
        for (double v : ms) {
            total += v;
            best = Math.min(best, v);
        }
        return new Throughput(runtime, precision, batch, ms.length, batch * ms.length / (total / 1000), best);
    }

    /** tools/bench_python_backbone.py --serve: loads the fp32 file once and times single passes on request. */
    static final class PythonWorker implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final Writer out;
        private final String version;
        private final ObjectMapper json = new ObjectMapper();

        private PythonWorker(Process process, BufferedReader in, Writer out, String version) {
            this.process = process;
            this.in = in;
            this.out = out;
            this.version = version;
        }

        /** Null (after saying why) when Python is off or cannot start. */
        static PythonWorker start(Options o) throws IOException {
            if (o.python() == null) {
                return null;
            }
            if (o.pythonScript() == null || !Files.isRegularFile(o.pythonScript())) {
                System.out.println("python: skipped, tools/bench_python_backbone.py not found (use --python-script)");
                return null;
            }
            List<String> modes = new ArrayList<>();
            if (o.precisions().contains(Precision.FP32)) {
                modes.add("fp32");
            }
            if (o.precisions().contains(Precision.BF16)) {
                modes.add("bf16-autocast");
            }
            if (modes.isEmpty()) {
                return null;
            }
            List<String> cmd = List.of(o.python(), o.pythonScript().toString(), "--backbone", o.backbone().toString(),
                    "--modes", String.join(",", modes), "--size", Integer.toString(o.size()), "--threads",
                    Integer.toString(o.threads()), "--graph-optimizer", Boolean.toString(o.graphOptimizer()), "--serve");
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                System.out.println("python: skipped, cannot run " + o.python() + ": " + e.getMessage());
                return null;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String version = "?";
            Matcher m;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("{")) {
                    return new PythonWorker(p, in, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
                            version);
                }
                System.out.println(line);
                m = Pattern.compile("python: torch (\\S+),").matcher(line);
                if (m.find()) {
                    version = "torch " + m.group(1);
                }
            }
            System.out.println("python: failed to start (exit " + waitFor(p) + ")");
            return null;
        }

        String version() {
            return version;
        }

        /** Seconds of one pass. */
        double time(String mode, int batch) throws IOException {
            out.write("{\"mode\": \"" + mode + "\", \"batch\": " + batch + "}\n");
            out.flush();
            String line = in.readLine();
            if (line == null) {
                throw new IOException("the Python worker stopped (exit " + waitFor(process) + ")");
            }
            return json.readTree(line).path("seconds").asDouble();
        }

        @Override
        public void close() throws IOException {
            out.close();
            waitFor(process);
        }

        private static int waitFor(Process p) {
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroy();
                }
                return p.exitValue();
            } catch (InterruptedException | IllegalThreadStateException e) {
                p.destroy();
                return -1;
            }
        }
    }

    private static Throughput find(List<Throughput> rows, String runtimePrefix, String precision, int batch) {
        return rows.stream().filter(t -> t.runtime().startsWith(runtimePrefix) && t.precision().equals(precision)
                && t.batch() == batch).findFirst().orElse(null);
    }

    /** Smooth gradients plus noise, so the resampler does real work on every pixel. */
    static BufferedImage syntheticPhoto(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        SplittableRandom r = new SplittableRandom(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 255 / w + r.nextInt(32)) & 0xFF;
                int green = (y * 255 / h + r.nextInt(32)) & 0xFF;
                int blue = ((x + y) * 127 / (w + h) + r.nextInt(64)) & 0xFF;
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        return img;
    }

    private static Path findUp(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return null;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
