package org.geopigeon.engine.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.Backbone;
import org.geopigeon.engine.model.ComputeTarget;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.model.NormalizingBackbone;
import org.geopigeon.engine.model.Precision;
import org.geopigeon.engine.model.PrecisionChoice;
import org.geopigeon.engine.model.PrecisionResolver;
import org.geopigeon.engine.model.TorchScriptBackbone;
import org.geopigeon.engine.refine.RefinementIndex;

/**
 * A loaded model bundle folder (see docs/bundle-format.md): manifest, backbone, geocell head,
 * geocells and optional refinement index. {@link #load} checks everything up front, so a bundle
 * that loads can serve requests without shape errors later. Thread-safe; close it to free the
 * backbone's native memory.
 */
public final class ModelBundle implements AutoCloseable {

    public static final String MANIFEST = "manifest.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

    private final Path directory;
    private final BundleManifest manifest;
    private final Backbone backbone;
    private final GeocellHead head;
    private final GeocellSet geocells;
    private final RefinementIndex refinement;
    private final String precisionReason;

    private ModelBundle(Path directory, BundleManifest manifest, Backbone backbone, GeocellHead head,
                        GeocellSet geocells, RefinementIndex refinement, String precisionReason) {
        this.directory = directory;
        this.manifest = manifest;
        this.backbone = backbone;
        this.head = head;
        this.geocells = geocells;
        this.refinement = refinement;
        this.precisionReason = precisionReason;
    }

    /**
     * Loads and validates the bundle in {@code dir}, loading its TorchScript backbone with DJL in the
     * process-wide precision choice ({@link PrecisionChoice#configured()}: {@code -Dgeopigeon.precision},
     * {@code $GEOPIGEON_PRECISION}, else auto).
     */
    public static ModelBundle load(Path dir) throws BundleException {
        PrecisionChoice choice;
        try {
            choice = PrecisionChoice.configured();
        } catch (IllegalArgumentException e) {
            throw new BundleException(dir.toAbsolutePath().normalize(), "cannot choose the backbone precision: "
                    + e.getMessage());
        }
        return load(dir, choice);
    }

    /**
     * Loads and validates the bundle in {@code dir}; the backbone is the manifest's {@code backbone.file}
     * (fp32) or one of its {@code backbone.variants}, as {@link PrecisionResolver} decides for {@code precision}
     * on this machine. {@link #backbone()}{@code .precision()} says what was loaded, {@link #precisionReason()} why.
     *
     * @throws BundleException also when a fixed precision cannot run here or the bundle lacks its variant
     */
    public static ModelBundle load(Path dir, PrecisionChoice precision) throws BundleException {
        Path folder = dir.toAbsolutePath().normalize();
        return loadChecked(folder, null, precision == null ? PrecisionChoice.AUTO : precision);
    }

    /**
     * Loads and validates the bundle in {@code dir}; when {@code backbone} is non-null it replaces
     * the manifest's backbone file (tests, training with an already-loaded encoder) and must agree with
     * the manifest's input size and embedding dimension. The bundle owns the backbone and closes it.
     */
    public static ModelBundle load(Path dir, Backbone backbone) throws BundleException {
        Path folder = dir.toAbsolutePath().normalize();
        try {
            return loadChecked(folder, backbone, PrecisionChoice.AUTO);
        } catch (BundleException | RuntimeException e) {
            if (backbone != null) {
                backbone.close();
            }
            throw e;
        }
    }

    private static ModelBundle loadChecked(Path folder, Backbone supplied, PrecisionChoice choice) throws BundleException {
        if (!Files.isDirectory(folder)) {
            throw new BundleException(folder, "model bundle folder not found");
        }
        Path manifestFile = folder.resolve(MANIFEST);
        BundleManifest m = ManifestValidator.validate(manifestFile, readManifest(manifestFile));

        Path geocellFile = member(folder, manifestFile, "geocells", m.geocells());
        Path headFile = member(folder, manifestFile, "head", m.head());
        Path backboneFile = member(folder, manifestFile, "backbone.file", m.backbone().file());
        Path refinementFile = m.refinement() == null ? null : member(folder, manifestFile, "refinement", m.refinement());
        Map<Precision, Path> variantFiles = new EnumMap<>(Precision.class);
        for (Map.Entry<String, String> v : m.backbone().variants().entrySet()) {
            variantFiles.put(Precision.parse(v.getKey()),
                    member(folder, manifestFile, "backbone.variants." + v.getKey(), v.getValue()));
        }
        for (Path p : new Path[] {geocellFile, headFile, supplied == null ? backboneFile : null, refinementFile}) {
            if (p != null && !Files.isRegularFile(p)) {
                throw new BundleException(p, "file named in " + MANIFEST + " is missing");
            }
        }

        // The head's input: the backbone's forward output, or CLIP's normalised projected image embedding.
        int dim = m.headInputDim();
        String dimName = m.headTakesClipImage() ? "clip.projectionDim" : "backbone.embeddingDim";
        GeocellSet cells;
        try {
            cells = GeocellGeoJson.read(geocellFile);
        } catch (IOException | RuntimeException e) {
            throw wrap(geocellFile, "invalid geocell file", e);
        }
        GeocellHead head;
        try {
            head = GeocellHead.read(headFile);
        } catch (IOException | RuntimeException e) {
            throw wrap(headFile, "invalid head file", e);
        }
        if (head.dim() != dim) {
            throw new BundleException(headFile, "head weight has D = " + head.dim() + " columns but " + MANIFEST
                    + " says " + dimName + " = " + dim);
        }
        if (head.numCells() != cells.size()) {
            throw new BundleException(headFile, "head has C = " + head.numCells() + " classes but "
                    + geocellFile.getFileName() + " has " + cells.size() + " geocells");
        }
        RefinementIndex refinement = null;
        if (refinementFile != null) {
            try {
                refinement = RefinementIndex.read(refinementFile);
            } catch (IOException | RuntimeException e) {
                throw wrap(refinementFile, "invalid refinement index", e);
            }
            if (refinement.dimension() != dim) {
                throw new BundleException(refinementFile, "refinement embeddings have dimension " + refinement.dimension()
                        + " but " + MANIFEST + " says " + dimName + " = " + dim);
            }
            if (refinement.cells() != cells.size()) {
                throw new BundleException(refinementFile, "refinement index covers " + refinement.cells()
                        + " cells but " + geocellFile.getFileName() + " has " + cells.size());
            }
        }

        Backbone backbone = supplied;
        Path backboneName = supplied == null ? backboneFile : folder;
        String reason = supplied == null ? null : "supplied by the caller";
        if (backbone == null) {
            PrecisionResolver.Resolution r;
            try {
                // A head in CLIP's joint space embeds with the clip.imageFeatures method: a variant serves it
                // when it declares that method (checked below, before the module is loaded).
                r = PrecisionResolver.resolve(choice, ComputeTarget.detect(), variantFiles.keySet());
            } catch (IOException | IllegalArgumentException e) {
                throw new BundleException(backboneFile, "cannot load the backbone in precision " + choice + ": "
                        + e.getMessage(), e);
            }
            Path file = r.precision() == Precision.FP32 ? backboneFile : variantFiles.get(r.precision());
            if (!Files.isRegularFile(file)) {
                throw new BundleException(file, "file named in " + MANIFEST + " (backbone.variants."
                        + r.precision() + ") is missing");
            }
            if (m.headTakesClipImage() && r.precision() != Precision.FP32) {
                requireMethod(file, r.precision(), m.clip().imageFeatures());
            }
            backboneName = file;
            reason = r.reason();
            try {
                backbone = openBackbone(file, m, r.precision());
            } catch (IOException | RuntimeException e) {
                throw wrap(file, "backbone failed to load", e);
            }
        }
        try {
            if (backbone.inputSize() != m.backbone().inputSize()) {
                throw new BundleException(backboneName, "backbone takes " + backbone.inputSize() + " px input but "
                        + MANIFEST + " says backbone.inputSize = " + m.backbone().inputSize());
            }
            if (backbone.embeddingDim() != dim) {
                throw new BundleException(backboneName, (m.headTakesClipImage() ? "backbone method '"
                        + m.clip().imageFeatures() + "' outputs P = " : "backbone outputs D = ") + backbone.embeddingDim()
                        + " but " + MANIFEST + " says " + dimName + " = " + dim);
            }
        } catch (BundleException e) {
            if (supplied == null) {
                backbone.close();
            }
            throw e;
        }
        return new ModelBundle(folder, m, backbone, head, cells, refinement, reason);
    }

    /**
     * Refuses a precision variant that lacks the method a CLIP joint-space head embeds with: variants written by
     * {@code tools/export_precision_variants.py} before it exported that method carry {@code forward} only.
     */
    private static void requireMethod(Path file, Precision p, String method) throws BundleException {
        VariantDeclaration d;
        try {
            d = VariantDeclaration.read(file);
        } catch (IOException e) {
            throw new BundleException(file, "backbone failed to load: " + e.getMessage(), e);
        }
        if (!d.has(method)) {
            throw new BundleException(file, "this " + p + " precision variant has no '" + method + "' method, which"
                    + " the head of this bundle (headInput clip-image: CLIP's projected image embedding) embeds with;"
                    + " the variant was written before tools/export_precision_variants.py exported that method."
                    + " Rewrite it with /usr/bin/python3 tools/export_precision_variants.py --bundle "
                    + file.getParent() + " --precisions " + p + " --force, or run with --precision fp32");
        }
    }

    /**
     * The image encoder whose output the head takes: the TorchScript forward, or for
     * {@code headInput = clip-image} the {@code clip.imageFeatures} method, L2-normalised.
     */
    private static Backbone openBackbone(Path backboneFile, BundleManifest m, Precision precision)
            throws IOException {
        if (m.headTakesClipImage()) {
            return new NormalizingBackbone(TorchScriptBackbone.load(backboneFile, m.backbone().inputSize(),
                    m.clip().imageFeatures(), precision));
        }
        return TorchScriptBackbone.load(backboneFile, m.backbone().inputSize(), precision);
    }

    /**
     * Reads and checks {@code dir/manifest.json} alone (no other file is opened): for tools that need a bundle's
     * settings, e.g. the CLIP section of a bundle without a head.
     *
     * @throws BundleException naming the manifest and the problem
     */
    public static BundleManifest readManifestOf(Path dir) throws BundleException {
        Path manifestFile = dir.toAbsolutePath().normalize().resolve(MANIFEST);
        return ManifestValidator.validate(manifestFile, readManifest(manifestFile));
    }

    /**
     * Resolves a file named in a bundle's manifest inside the bundle folder.
     *
     * @param field manifest field, for the error message
     * @throws BundleException when the name is missing or points outside the folder
     */
    public static Path memberOf(Path dir, String field, String name) throws BundleException {
        Path folder = dir.toAbsolutePath().normalize();
        return member(folder, folder.resolve(MANIFEST), field, name);
    }

    private static BundleManifest readManifest(Path manifestFile) throws BundleException {
        if (!Files.isRegularFile(manifestFile)) {
            throw new BundleException(manifestFile, "manifest missing: not a model bundle folder");
        }
        try {
            BundleManifest m = MAPPER.readValue(manifestFile.toFile(), BundleManifest.class);
            if (m == null) {
                throw new BundleException(manifestFile, "manifest is empty");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new BundleException(manifestFile, "manifest is not valid JSON for " + BundleManifest.FORMAT
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BundleException(manifestFile, "cannot read manifest: " + e.getMessage(), e);
        }
    }

    /** Resolves a file name from the manifest, refusing names that escape the bundle folder. */
    private static Path member(Path folder, Path manifestFile, String field, String name) throws BundleException {
        if (name == null || name.isBlank()) {
            throw new BundleException(manifestFile, "field '" + field + "' is missing");
        }
        Path p = folder.resolve(name).normalize();
        if (!p.startsWith(folder)) {
            throw new BundleException(manifestFile, "field '" + field + "' = '" + name + "' points outside the bundle folder");
        }
        return p;
    }

    /** Keeps the cause's own words but makes sure the message starts with the file, exactly once. */
    private static BundleException wrap(Path file, String what, Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        for (String prefix : List.of(file + ": ", file.toString())) {
            if (msg.startsWith(prefix)) {
                msg = msg.substring(prefix.length()).strip();
                break;
            }
        }
        msg = msg.replace(file.toString(), file.getFileName().toString());
        return new BundleException(file, what + ": " + msg, e);
    }

    /**
     * The bundle folder this was loaded from (absolute or as given); files named in the manifest are relative to it.
     */
    public Path directory() {
        return directory;
    }

    /** The manifest with unset optional fields filled in (defaults, crop size, resample, pooling). */
    public BundleManifest manifest() {
        return manifest;
    }

    /**
     * The loaded image encoder, in the precision chosen at load time: float [N, 3, S, S] in, [N, D] out.
     * Owned by this bundle: closed by {@link #close()}; thread-safe for concurrent {@code embed} calls.
     */
    public Backbone backbone() {
        return backbone;
    }

    /** The geocell classifier, Linear(D, C) with C = {@code geocells().size()} (checked at load). */
    public GeocellHead head() {
        return head;
    }

    /** The geocells of {@code geocells.geojson}; element i is class i of {@link #head()}. */
    public GeocellSet geocells() {
        return geocells;
    }

    /**
     * The retrieval index of {@code refinement.safetensors} (memory-mapped), or empty when the bundle has none, in
     * which case predictions are the top cell's centroid.
     */
    public Optional<RefinementIndex> refinement() {
        return Optional.ofNullable(refinement);
    }

    /**
     * Why the backbone runs in {@code backbone().precision()}, e.g. "auto: CPU has avx512_bf16 and the bundle
     * has a bf16 variant" or "requested"; for logs and the CLI.
     */
    public String precisionReason() {
        return precisionReason;
    }

    /** Short model name stored with predictions. */
    public String name() {
        return manifest.name();
    }

    @Override
    public void close() {
        backbone.close();
    }

    @Override
    public String toString() {
        return "ModelBundle[" + manifest.name() + ", " + directory + ", C=" + geocells.size() + ", D="
                + backbone.embeddingDim() + ", device=" + backbone.device() + ", precision=" + backbone.precision()
                + (refinement == null ? ", no refinement" : ", refinement " + refinement.members() + " members") + "]";
    }
}
