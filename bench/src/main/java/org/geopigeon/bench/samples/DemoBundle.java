package org.geopigeon.bench.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.geopigeon.engine.bundle.BundleFolder;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.bundle.ManifestWriter;
import org.geopigeon.engine.geo.LatLon;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.geocell.build.AntimeridianCutter;
import org.geopigeon.engine.geocell.build.TopoJson;
import org.geopigeon.engine.io.GeoJsonGeometry;
import org.geopigeon.engine.io.Half;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.model.TorchScriptBackbone;
import org.geopigeon.engine.preprocess.PreprocessConfig;
import org.geopigeon.engine.refine.RefinementIndexWriter;
import org.geopigeon.engine.train.TrainedBundleWriter;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.precision.GeometryPrecisionReducer;

/**
 * Sample-data builder: the Java half of tools/build_demo_bundle.py. Python exports the tiny random TorchScript
 * backbone and its precision variants (what only torch can write); this main writes everything else of
 * {@code sample-data/demo-bundle} through the engine's bundle writers, so the bundle format is defined once:
 * <ul>
 *   <li>{@code geocells.geojson} ({@link GeocellGeoJson}): 71 coarse cells from Natural Earth 1:110m countries
 *       (world-atlas 2.0.2 {@code countries-110m.json}, decoded by {@link TopoJson} and cut at the antimeridian by
 *       {@link AntimeridianCutter}): large countries alone, smaller ones grouped by region, coordinates on a
 *       1e-5 degree grid (about 1 m); no training points, so {@code centroid_lat/lon} is a point inside the cell
 *       (JTS interior point), rounded to 1e-6 degrees;</li>
 *   <li>{@code head.safetensors} ({@link GeocellHead#write}): random linear head, weight N(0, 1/D), bias N(0, 0.01);</li>
 *   <li>{@code refinement.safetensors} ({@link RefinementIndexWriter}): 6 random points inside each cell, sorted
 *       west to east into 2 clusters of 3; member embeddings are the demo backbone's outputs (DJL) on random blocky
 *       images, prototypes the means of their float16 members;</li>
 *   <li>{@code manifest.json} ({@link ManifestWriter}) listing the precision variants found beside the backbone,
 *       and {@code README.md}.</li>
 * </ul>
 * Deterministic: {@link java.util.Random} with a fixed seed (its algorithm is fixed by the Java specification) and
 * libtorch's CPU forward pass, so a rerun writes the same bytes on the same machine.
 *
 * <p>Usage: {@code tools/run-bench-main.sh org.geopigeon.bench.samples.DemoBundle --world-atlas countries-110m.json
 * --backbone-dir DIR --out NEW_BUNDLE_DIR}; DIR holds {@code backbone.pt} (224 px, D = 128) and optionally
 * {@code backbone.bf16.pt}, {@code backbone.fp16.pt}, {@code backbone.int8.pt}, which are copied into the bundle.
 * The output folder must be new or empty; it appears complete or not at all ({@link BundleFolder}).
 */
public final class DemoBundle {

    /** Seed of the random head, the refinement points and images (the Python half uses it for the backbone). */
    static final long SEED = 20240601L;
    static final int MEMBERS_PER_CELL = 6;
    static final int CLUSTERS_PER_CELL = 2;
    static final int INPUT_SIZE = 224;
    static final String ATTRIBUTION = "Natural Earth (public domain) via world-atlas 2.0.2";
    static final String NOTE = "Demo cells have no training points: centroid_lat/lon is a representative point"
            + " inside the cell.";
    private static final List<String> PRECISIONS = List.of("bf16", "fp16", "int8");
    private static final int BATCH = 32;

    /**
     * One demo cell.
     *
     * @param id      cell id
     * @param name    human-readable name
     * @param members ISO 3166-1 numeric codes of world-atlas features, or the feature name for the id-less ones
     *                (Kosovo, N. Cyprus, Somaliland)
     * @param country the cell's country property: the id for a single country, the name for a group
     */
    record CellSpec(String id, String name, List<String> members, String country) {
    }

    /**
     * Large countries get a cell of their own; the rest are grouped by region. Antarctica (010) and the French
     * Southern Lands (260) are left out: street-level photo datasets have (almost) no images there.
     */
    static final List<CellSpec> CELLS = cells();
    static final Set<String> EXCLUDED = Set.of("010", "260");

    private static List<CellSpec> cells() {
        String[][] single = {
            {"USA", "United States", "840"}, {"CAN", "Canada", "124"}, {"MEX", "Mexico", "484"},
            {"BRA", "Brazil", "076"}, {"ARG", "Argentina", "032"}, {"CHL", "Chile", "152"}, {"PER", "Peru", "604"},
            {"COL", "Colombia", "170"}, {"RUS", "Russia", "643"}, {"CHN", "China", "156"}, {"IND", "India", "356"},
            {"AUS", "Australia", "036"}, {"KAZ", "Kazakhstan", "398"}, {"MNG", "Mongolia", "496"},
            {"IDN", "Indonesia", "360"}, {"JPN", "Japan", "392"}, {"ZAF", "South Africa", "710"},
            {"EGY", "Egypt", "818"}, {"DZA", "Algeria", "012"}, {"SAU", "Saudi Arabia", "682"}, {"IRN", "Iran", "364"},
            {"TUR", "Turkey", "792"}, {"FRA", "France", "250"}, {"DEU", "Germany", "276"}, {"ESP", "Spain", "724"},
            {"ITA", "Italy", "380"}, {"GBR", "United Kingdom", "826"}, {"POL", "Poland", "616"},
            {"UKR", "Ukraine", "804"}, {"NOR", "Norway", "578"}, {"SWE", "Sweden", "752"}, {"FIN", "Finland", "246"},
            {"NZL", "New Zealand", "554"}, {"GRL", "Greenland", "304"}, {"PRT", "Portugal", "620"},
            {"IRL", "Ireland", "372"}, {"BLR", "Belarus", "112"}, {"PAK", "Pakistan", "586"},
            {"NGA", "Nigeria", "566"}, {"COD", "DR Congo", "180"}, {"SDN", "Sudan", "729"},
            {"MDG", "Madagascar", "450"}, {"THA", "Thailand", "764"}, {"PHL", "Philippines", "608"},
        };
        String[][] groups = {
            {"G-CAM", "Central America", "084,188,222,320,340,558,591"},
            {"G-CAR", "Caribbean", "044,192,214,332,388,630,780"},
            {"G-NSA", "Northern South America", "862,328,740,218"},
            {"G-SSA", "Bolivia, Paraguay, Uruguay", "068,600,858,238"},
            {"G-NOR", "Denmark and Iceland", "208,352"},
            {"G-BNL", "Benelux and Alps", "056,528,442,756,040"},
            {"G-BAL", "Baltic states", "233,428,440"},
            {"G-CEU", "Central Europe", "203,703,348,705,191"},
            {"G-WBK", "Western Balkans", "008,070,499,688,807,Kosovo"},
            {"G-ROM", "Romania, Moldova, Bulgaria", "642,498,100"},
            {"G-GRC", "Greece and Cyprus", "300,196,N. Cyprus"},
            {"G-CAU", "Caucasus", "031,051,268"},
            {"G-LEV", "Levant and Iraq", "275,376,400,422,760,368"},
            {"G-GLF", "Gulf and Yemen", "414,634,784,512,887"},
            {"G-CAS", "Central Asia and Afghanistan", "417,762,795,860,004"},
            {"G-SAS", "Bangladesh, Bhutan, Nepal, Sri Lanka", "050,064,524,144"},
            {"G-IND", "Indochina and Myanmar", "104,116,418,704"},
            {"G-MSA", "Malaysia, Brunei, Timor-Leste", "458,096,626"},
            {"G-EAS", "Koreas and Taiwan", "408,410,158"},
            {"G-MEL", "Melanesia", "090,242,540,548,598"},
            {"G-NAF", "Maghreb and Libya", "504,732,788,434"},
            {"G-SAH", "Sahel", "466,478,562,854,148"},
            {"G-WAF", "West African coast", "204,270,288,324,384,430,624,686,694,768"},
            {"G-CAF", "Central Africa", "120,140,178,226,266"},
            {"G-EAF", "East Africa", "108,404,646,800,834,728"},
            {"G-HRN", "Horn of Africa", "231,232,262,706,Somaliland"},
            {"G-SAF", "Southern Africa", "024,072,426,454,508,516,716,748,894"},
        };
        List<CellSpec> out = new ArrayList<>();
        for (String[] s : single) {
            out.add(new CellSpec(s[0], s[1], List.of(s[2]), s[0]));
        }
        for (String[] g : groups) {
            out.add(new CellSpec(g[0], g[1], List.of(g[2].split(",")), g[1]));
        }
        return List.copyOf(out);
    }

    private DemoBundle() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        try {
            build(Path.of(a.get("--world-atlas")), Path.of(a.get("--backbone-dir")), Path.of(a.get("--out")));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("demo bundle: " + e.getMessage());
            System.exit(1);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--world-atlas", "--backbone-dir", "--out")) {
            if (!a.containsKey(required) || args.length != 6) {
                System.err.println("usage: DemoBundle --world-atlas countries-110m.json --backbone-dir DIR --out DIR");
                System.exit(2);
            }
        }
        return a;
    }

    /** Writes the whole demo bundle into {@code out} (new or empty), copying the backbone files of {@code backboneDir}. */
    static void build(Path worldAtlas, Path backboneDir, Path out) throws IOException {
        Path backboneFile = backboneDir.resolve("backbone.pt");
        if (!Files.isRegularFile(backboneFile)) {
            throw new IOException(backboneFile + ": backbone file not found (run tools/build_demo_bundle.py)");
        }
        GeocellSet geocells = geocells(new ObjectMapper().readTree(worldAtlas.toFile()));
        Random rng = new Random(SEED);
        Path staging = BundleFolder.stage(out);
        try {
            BundleFolder.copyBase(backboneDir, staging, Set.of());
            Map<String, String> members = new LinkedHashMap<>(); // in this order: Map.of's order changes per JVM run
            members.put("attribution", ATTRIBUTION);
            members.put("note", NOTE);
            GeocellGeoJson.write(geocells, staging.resolve(TrainedBundleWriter.GEOCELLS), members);
            int dim;
            try (TorchScriptBackbone backbone = TorchScriptBackbone.load(backboneFile, INPUT_SIZE)) {
                dim = backbone.embeddingDim();
                head(geocells.size(), dim, rng).write(staging.resolve(TrainedBundleWriter.HEAD));
                refinement(geocells, backbone, rng, staging.resolve(TrainedBundleWriter.REFINEMENT));
            }
            ManifestWriter.write(manifest(dim, variants(backboneDir)), staging);
            Files.writeString(staging.resolve("README.md"), readme(geocells.size(), dim), StandardCharsets.UTF_8);
            BundleFolder.publish(staging, out);
        } catch (IOException | RuntimeException e) {
            BundleFolder.deleteRecursively(staging);
            throw e;
        }
        System.out.println("wrote " + out + ": " + geocells.size() + " cells, "
                + geocells.size() * MEMBERS_PER_CELL + " refinement members");
    }

    /** The demo cells from world-atlas countries-110m, in {@link #CELLS} order (row order = class index). */
    static GeocellSet geocells(JsonNode topology) {
        Map<String, Geometry> countries = new HashMap<>();
        for (TopoJson.Feature f : TopoJson.read(topology, "countries")) {
            String key = f.id() != null && !f.id().isNull() ? f.id().asText() : f.properties().path("name").asText();
            Geometry g = f.geometry();
            if (!(g instanceof Polygonal) || g.isEmpty()) {
                continue;
            }
            g = AntimeridianCutter.cut(g);
            countries.put(key, g.isValid() ? g : GeometryFixer.fix(g));
        }
        GeometryPrecisionReducer grid = new GeometryPrecisionReducer(new PrecisionModel(1e5));
        Set<String> used = new HashSet<>();
        List<Geocell> cells = new ArrayList<>();
        for (CellSpec spec : CELLS) {
            List<Geometry> parts = new ArrayList<>();
            for (String member : spec.members()) {
                Geometry g = countries.get(member);
                if (g == null) {
                    throw new IllegalArgumentException("cell " + spec.id() + ": no country with id or name '" + member
                            + "' in world-atlas");
                }
                if (!used.add(member)) {
                    throw new IllegalArgumentException("country " + member + " is in two cells");
                }
                parts.add(g);
            }
            MultiPolygon area = GeoJsonGeometry.toMultiPolygon(grid.reduce(OverlayNGRobust.union(parts)));
            Point inside = area.getInteriorPoint();
            cells.add(new Geocell(cells.size(), spec.id(), spec.name(), "", spec.country(), 0,
                    new LatLon(round(inside.getY(), 1e6), round(inside.getX(), 1e6)), area));
        }
        Set<String> left = new java.util.TreeSet<>(countries.keySet());
        left.removeAll(used);
        left.removeAll(EXCLUDED);
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("countries not assigned to any cell: " + left);
        }
        return new GeocellSet("geopigeon-demo-geocells", cells);
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }

    static GeocellHead head(int cells, int dim, Random rng) {
        float[] weight = new float[cells * dim];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (rng.nextGaussian() / Math.sqrt(dim));
        }
        float[] bias = new float[cells];
        for (int i = 0; i < cells; i++) {
            bias[i] = (float) (rng.nextGaussian() * 0.1);
        }
        return new GeocellHead(cells, dim, weight, bias);
    }

    private static void refinement(GeocellSet geocells, TorchScriptBackbone backbone, Random rng, Path file)
            throws IOException {
        List<LatLon> members = new ArrayList<>();
        for (Geocell c : geocells.cells()) {
            List<LatLon> pts = sampleInside(c.geometry(), rng);
            pts.sort(Comparator.comparingDouble(LatLon::lon).thenComparingDouble(LatLon::lat)); // west half, east half
            members.addAll(pts);
        }
        int n = members.size();
        int dim = backbone.embeddingDim();
        float[][] embeddings = new float[n][];
        for (int start = 0; start < n; start += BATCH) {
            int count = Math.min(BATCH, n - start);
            float[][] batch = backbone.embed(blockyImages(count, rng), count);
            for (int i = 0; i < count; i++) {
                embeddings[start + i] = toHalfPrecision(batch[i]);
            }
        }
        int perCluster = MEMBERS_PER_CELL / CLUSTERS_PER_CELL;
        int clusters = geocells.size() * CLUSTERS_PER_CELL;
        int[] cellClusterOffsets = new int[geocells.size() + 1];
        for (int c = 0; c < cellClusterOffsets.length; c++) {
            cellClusterOffsets[c] = c * CLUSTERS_PER_CELL;
        }
        int[] clusterMemberOffsets = new int[clusters + 1];
        for (int k = 0; k < clusterMemberOffsets.length; k++) {
            clusterMemberOffsets[k] = k * perCluster;
        }
        RefinementIndexWriter.write(file, dim, cellClusterOffsets, clusterMemberOffsets, (row, out) -> {
            // Prototype = mean of the cluster's members as stored (float16), computed in float32.
            java.util.Arrays.fill(out, 0f);
            for (int m = row * perCluster; m < (row + 1) * perCluster; m++) {
                for (int j = 0; j < dim; j++) {
                    out[j] += embeddings[m][j];
                }
            }
            for (int j = 0; j < dim; j++) {
                out[j] /= perCluster;
            }
        }, (row, out) -> System.arraycopy(embeddings[row], 0, out, 0, dim), members::get);
    }

    /** {@link #MEMBERS_PER_CELL} uniform random points inside the cell (rejection sampling in its envelope). */
    private static List<LatLon> sampleInside(MultiPolygon area, Random rng) {
        PreparedGeometry prepared = PreparedGeometryFactory.prepare(area);
        Envelope env = area.getEnvelopeInternal();
        List<LatLon> pts = new ArrayList<>(MEMBERS_PER_CELL);
        while (pts.size() < MEMBERS_PER_CELL) {
            double x = env.getMinX() + rng.nextDouble() * env.getWidth();
            double y = env.getMinY() + rng.nextDouble() * env.getHeight();
            if (prepared.contains(GeoJsonGeometry.WGS84.createPoint(new Coordinate(x, y)))) {
                // Stored as float32 in the index: keep the value that will be read back.
                pts.add(new LatLon((float) y, (float) x));
            }
        }
        return pts;
    }

    /** Random colour images on an 8 x 8 grid upsampled to S x S, CLIP-normalised: float [n,3,S,S] (NCHW). */
    private static float[] blockyImages(int n, Random rng) {
        int s = INPUT_SIZE;
        int block = s / 8;
        float[] mean = PreprocessConfig.clipMean();
        float[] std = PreprocessConfig.clipStd();
        float[] out = new float[n * 3 * s * s];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < 3; ch++) {
                float[] grid = new float[64];
                for (int g = 0; g < 64; g++) {
                    grid[g] = (rng.nextFloat() - mean[ch]) / std[ch];
                }
                int base = (i * 3 + ch) * s * s;
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        out[base + y * s + x] = grid[(y / block) * 8 + x / block];
                    }
                }
            }
        }
        return out;
    }

    private static float[] toHalfPrecision(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Half.toFloat(Half.fromFloat(v[i]));
        }
        return out;
    }

    private static Map<String, String> variants(Path backboneDir) {
        Map<String, String> out = new TreeMap<>();
        for (String p : PRECISIONS) {
            if (Files.isRegularFile(backboneDir.resolve("backbone." + p + ".pt"))) {
                out.put(p, "backbone." + p + ".pt");
            }
        }
        return out;
    }

    /**
     * OpenAI CLIP's mean and std as the decimals of CLIPImageProcessor's configuration (what import_backbone.sh writes
     * too); {@link #rgb} checks they are the float constants of {@link PreprocessConfig}, the one home of the rule.
     */
    static final List<Double> CLIP_MEAN_DECIMALS = List.of(0.48145466, 0.4578275, 0.40821073);
    static final List<Double> CLIP_STD_DECIMALS = List.of(0.26862954, 0.26130258, 0.27577711);

    private static List<Double> rgb(List<Double> decimals, float[] constants) {
        for (int i = 0; i < 3; i++) {
            if (decimals.get(i).floatValue() != constants[i]) {
                throw new IllegalStateException("CLIP constant " + decimals.get(i) + " is not " + constants[i]);
            }
        }
        return decimals;
    }

    static BundleManifest manifest(int dim, Map<String, String> variants) {
        BundleManifest.Backbone backbone = new BundleManifest.Backbone("backbone.pt", INPUT_SIZE, INPUT_SIZE,
                INPUT_SIZE, "bicubic", rgb(CLIP_MEAN_DECIMALS, PreprocessConfig.clipMean()),
                rgb(CLIP_STD_DECIMALS, PreprocessConfig.clipStd()), dim,
                "mean-all-tokens", false, variants);
        return new BundleManifest(BundleManifest.FORMAT, "geopigeon-demo-untrained",
                "Demo bundle with RANDOM, UNTRAINED weights: its predictions carry NO geographic information."
                        + " For testing the pipeline only.",
                false, "Generated data: same licence as GeoPigeon. Geocell polygons: Natural Earth, public domain.",
                "tools/build_demo_bundle.py (seed " + SEED + "): random tiny CLIP-shaped ViT, random head, synthetic"
                        + " refinement index; geocells from " + ATTRIBUTION + ".",
                backbone, TrainedBundleWriter.GEOCELLS, TrainedBundleWriter.HEAD, TrainedBundleWriter.REFINEMENT,
                new BundleManifest.Defaults(5, 5, 1.6, 1000.0, 8));
    }

    static String readme(int cells, int dim) {
        return """
                # GeoPigeon demo bundle (UNTRAINED)

                **The weights in this bundle are random. Its predictions carry NO geographic information.**
                It exists so the whole pipeline (decode, preprocess, backbone, geocell head, refinement, WPS,
                PostGIS, map styles) can be installed and tested without downloading gigabytes of weights.
                Do not use its output for anything.

                | file | contents |
                |---|---|
                | `manifest.json` | bundle description (`geopigeon-bundle/1`, `trained: false`) |
                | `backbone.pt` | TorchScript CLIP-shaped vision transformer, random weights (224 px, patch 32, width %2$d, 4 layers) |
                | `head.safetensors` | random linear geocell head, %1$d x %2$d |
                | `geocells.geojson` | %1$d coarse cells: large countries alone, smaller ones grouped by region. No training points: `centroid_lat/lon` is a representative point inside the cell. |
                | `refinement.safetensors` | synthetic retrieval index: %3$d random points inside each cell in 2 clusters; embeddings are this backbone's outputs on random blocky images |

                Rebuild (deterministic): `/usr/bin/python3 tools/build_demo_bundle.py`.
                For a real model see `docs/bundle-format.md` (one-step import of StreetCLIP / CLIP ViT-L/14@336).

                ## Attribution
                Cell polygons: Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com
                (public domain), 1:110m countries, via the npm package world-atlas 2.0.2 (ISC licence).
                Everything else in this folder was generated by GeoPigeon's tools and is released with the project.
                """.formatted(cells, dim, MEMBERS_PER_CELL);
    }
}
