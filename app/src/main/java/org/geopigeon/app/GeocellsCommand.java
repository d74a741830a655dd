package org.geopigeon.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.geopigeon.engine.geocell.Geocell;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.geocell.build.BuildPhase;
import org.geopigeon.engine.geocell.build.BoundaryReader;
import org.geopigeon.engine.geocell.build.BuildOptions;
import org.geopigeon.engine.geocell.build.BuildReport;
import org.geopigeon.engine.geocell.build.BuildResult;
import org.geopigeon.engine.geocell.build.GeocellBuilder;
import org.geopigeon.engine.geocell.build.PointSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code geopigeon geocells}: semantic geocell tools. */
@Command(name = "geocells", mixinStandardHelpOptions = true,
        description = "Semantic geocells (PIGEON): build them from training points and admin boundaries.",
        subcommands = {GeocellsCommand.Build.class})
final class GeocellsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code geopigeon geocells build}. */
    @Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Build semantic geocells: admin units with training points, fused below --min-points within"
                    + " a country, split above --max-points with OPTICS + Voronoi.", "Progress goes to stderr."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:geocells written", "1:bad input (nothing written)", "2:invalid command line"})
    static final class Build implements Callable<Integer> {

        static final List<String> DEFAULT_BOUNDARIES = List.of("countries.geojson", "admin1.geojson");

        @Spec
        CommandSpec spec;

        @Option(names = "--points", paramLabel = "FILE|DIR", required = true,
                description = "CSV of lat,lon[,weight] (header optional) or a folder of photos with EXIF GPS")
        Path points;

        @Option(names = "--boundaries", paramLabel = "FILE", split = ",",
                description = "boundary layers, coarsest first: countries,admin1[,admin2] (GeoJSON or TopoJSON); default:"
                        + " sample-data/boundaries/countries.geojson,admin1.geojson under geopigeon.home or the working dir")
        List<Path> boundaries;

        @Option(names = "--min-points", paramLabel = "N", defaultValue = "30",
                description = "fuse cells with fewer points (PIGEON 30, PIGEOTTO 1000; default ${DEFAULT-VALUE})")
        int minPoints;

        @Option(names = "--max-points", paramLabel = "N", defaultValue = "60",
                description = "split cells with more points (PIGEON 60, PIGEOTTO 2000; default ${DEFAULT-VALUE})")
        int maxPoints;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "330",
                description = "seed of the fusing order (default ${DEFAULT-VALUE}, PIGEON's)")
        long seed;

        @Option(names = "--no-bisect",
                description = "leave cells above --max-points that OPTICS cannot split (PIGEON); by default they are cut"
                        + " in two across their principal axis")
        boolean noBisect;

        @Option(names = "--fuse", paramLabel = "closest|largest", defaultValue = "closest",
                description = {"which neighbour a small cell joins (within PIGEON's preference groups): closest = the"
                        + " smallest increase in spread (Ward cost; default, lower oracle error), largest = the one with"
                        + " most points (PIGEON)"})
        String fuse;

        @Option(names = "--out", paramLabel = "FILE.geojson", required = true, description = "output geocell GeoJSON")
        Path out;

        private static BuildOptions.FuseTarget fuseTarget(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "closest" -> BuildOptions.FuseTarget.CLOSEST;
                case "largest" -> BuildOptions.FuseTarget.LARGEST;
                default -> throw new IllegalArgumentException("--fuse must be closest or largest, got '" + name + "'");
            };
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter outw = spec.commandLine().getOut();
            BuildOptions options;
            try {
                options = new BuildOptions(minPoints, maxPoints, seed, !noBisect, fuseTarget(fuse));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            List<Path> layerFiles = boundaries != null && !boundaries.isEmpty() ? boundaries : defaultBoundaries();
            if (layerFiles.size() > 3) {
                throw new ParameterException(spec.commandLine(), "--boundaries takes at most 3 layers (countries,admin1,admin2), got "
                        + layerFiles.size());
            }
            CliProgress<BuildPhase> progress = new CliProgress<>(err, phase -> switch (phase) {
                case ASSIGN -> "points";
                case FUSE -> "countries";
                default -> null;
            });
            Path outDir = out.toAbsolutePath().getParent();
            if (outDir != null && !java.nio.file.Files.isDirectory(outDir)) {
                // Checked before the build: a typo in --out must not cost the build, nor create folders unasked.
                throw new ParameterException(spec.commandLine(), "--out " + out + ": the folder " + outDir
                        + " does not exist (create it first)");
            }
            CliImages images = CliImages.fromEnvironment(spec.commandLine());
            try {
                long t0 = System.nanoTime();
                BuildResult result = new GeocellBuilder(options).build(PointSet.read(points, images.decoder()),
                        BoundaryReader.readLayers(layerFiles), progress);
                progress.finish();
                GeocellGeoJson.write(result.cells(), out);
                outw.println(summary(result, (System.nanoTime() - t0) / 1e9));
                outw.flush();
                return 0;
            } catch (IOException | RuntimeException e) {
                progress.finish();
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            }
        }

        private String summary(BuildResult result, double seconds) {
            GeocellSet cells = result.cells();
            BuildReport r = result.report();
            int[] counts = cells.cells().stream().mapToInt(Geocell::pointCount).sorted().toArray();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "wrote %s: %d geocells in %d countries from %d points%n", out,
                    cells.size(), r.units().countries(), r.input().pointsUsed()));
            sb.append(String.format(Locale.ROOT, "points per cell: min %d, median %d, max %d (min-points %d, max-points %d)%n",
                    counts[0], counts[counts.length / 2], counts[counts.length - 1], minPoints, maxPoints));
            sb.append(String.format(Locale.ROOT, "fuse merges %d, splits %d (%d by bisection); %d points outside every"
                    + " boundary (nearest unit used); %d input rows skipped%n", r.steps().merges(), r.steps().splits(),
                    r.steps().bisections(), r.input().pointsOutside(), r.input().pointsSkipped()));
            List<String> aboveMax = r.steps().cellsAboveMax();
            if (!aboveMax.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "%d cells stay above max-points (no split found): %s%n",
                        aboveMax.size(), BuildReport.abbreviate(aboveMax)));
            }
            sb.append(String.format(Locale.ROOT, "time %.1f s", seconds));
            return sb.toString();
        }

        private List<Path> defaultBoundaries() {
            String home = System.getProperty("geopigeon.home");
            Path base = Path.of(home != null ? home : ".").resolve("sample-data/boundaries");
            List<Path> files = DEFAULT_BOUNDARIES.stream().map(base::resolve).toList();
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    throw new ParameterException(spec.commandLine(), "default boundary file " + f.toAbsolutePath()
                            + " not found; pass --boundaries or set -Dgeopigeon.home to the GeoPigeon folder");
                }
            }
            return files;
        }
    }

}
