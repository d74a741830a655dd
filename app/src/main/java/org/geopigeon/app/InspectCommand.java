package org.geopigeon.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.geopigeon.engine.image.CameraInfo;
import org.geopigeon.engine.image.DecodedImage;
import org.geopigeon.engine.image.GpsFix;
import org.geopigeon.engine.image.ImageDecoder;
import org.geopigeon.service.ImageRefusal;
import org.geopigeon.engine.image.ImageMetadata;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.image.PixelHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code geopigeon inspect}: what an OSINT analyst checks before any model runs, and exactly what the model would be
 * fed. Applies the service's image rules ({@link CliImages}: the 25 MiB, 80 MP and 32 px limits {@code locate} applies)
 * and decodes each file with the same {@link ImageDecoder} as {@code locate} and the audited service, and prints
 * size, orientation, the pixel hash the audit log stores ({@link PixelHash}), position with its source, capture time,
 * camera, software, ICC profile (never applied) and ignored metadata problems. No model is loaded.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what GeoPigeon reads from photos, without loading a model: size after orientation, "
                + "the pixel hash the audit log stores, GPS (EXIF or XMP), capture time, camera, ICC profile, "
                + "ignored metadata problems.",
                "Prints a block per file, or with --json one JSON object per file (JSON Lines) on stdout; "
                        + "errors go to stderr."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file was read", "1:some file was refused (the others are still printed)",
                "2:invalid command line"})
final class InspectCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;

    /** Strings, converted one by one ({@link CliFiles}): one unusable name must not stop the others. */
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JPEG, PNG or WebP images")
    List<String> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CliImages images = CliImages.fromEnvironment(spec.commandLine());
        CliFiles args = CliFiles.of(files);
        int failed = 0;
        boolean first = true;
        for (int i = 0; i < files.size(); i++) {
            Path file = args.paths().get(i);
            Report report;
            try {
                if (args.refusal(i) != null) {
                    throw args.refusal(i);
                }
                report = Report.of(file.toString(), images.decode(file));
            } catch (ImageRejectedException | ImageRefusal e) {
                failed++;
                err.println("error: " + ResultPrinter.describe(List.of(file), e));
                err.flush();
                continue;
            }
            if (json.json) {
                out.println(report.toJson());
            } else {
                if (!first) {
                    out.println();
                }
                out.print(report.toBlock());
            }
            out.flush();
            first = false;
        }
        if (failed > 0) {
            err.println("error: " + failed + " of " + files.size() + " files could not be read");
            err.flush();
        }
        return failed > 0 ? 1 : 0;
    }

    /**
     * One file as {@code inspect} reports it; bound to JSON by Jackson with snake_case names.
     *
     * @param file              the path as given
     * @param format            jpeg, png or webp (from the content, not the name)
     * @param width             pixels after orientation
     * @param height            pixels after orientation
     * @param orientation       the EXIF orientation applied, 1 when none
     * @param pixelSha256       SHA-256 of width, height (big-endian int32) and the RGB bytes row by row after
     *                          orientation: the audit log's image hash
     * @param gps               the position, or null
     * @param captured          DateTimeOriginal as ISO 8601 with its offset when the file has one, or null
     * @param camera            make, model, lens (each may be null)
     * @param software          the software that wrote the file, or null
     * @param iccProfile        the embedded ICC profile's description, or null
     * @param iccProfileApplied always false: profiles are ignored, as Pillow ignores them
     * @param warnings          metadata problems that were ignored
     */
    record Report(String file, String format, int width, int height, int orientation, String pixelSha256, Gps gps,
                  String captured, Camera camera, String software, String iccProfile, boolean iccProfileApplied,
                  List<String> warnings) {

        static Report of(String file, DecodedImage image) {
            ImageMetadata m = image.metadata();
            GpsFix fix = m.gps();
            Gps gps = fix == null ? null : new Gps(degrees(fix.position().lat()), degrees(fix.position().lon()),
                    fix.altitude(), fix.source().id(), fix.time());
            CameraInfo c = m.camera();
            return new Report(file, image.format(), image.width(), image.height(), m.orientation(),
                    PixelHash.sha256(image.rgb()), gps, m.captured(), new Camera(c.make(), c.model(), c.lens()),
                    m.software(), m.iccProfile(), false, m.warnings());
        }

        String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e); // records of plain values always serialise
            }
        }

        /** The readable block: one "label  value" line per field, two-space indent under the file name. */
        String toBlock() {
            StringBuilder b = new StringBuilder(file).append('\n');
            line(b, "format", String.format(Locale.ROOT, "%s, %d x %d pixels after orientation %d", format, width,
                    height, orientation));
            line(b, "pixel sha256", pixelSha256);
            if (gps == null) {
                line(b, "gps", "none");
            } else {
                StringBuilder g = new StringBuilder(String.format(Locale.ROOT, "%.6f, %.6f (from %s)", gps.lat(),
                        gps.lon(), gps.source().toUpperCase(Locale.ROOT)));
                if (gps.alt() != null) {
                    g.append(String.format(Locale.ROOT, ", altitude %.1f m", gps.alt()));
                }
                if (gps.time() != null) {
                    g.append(", GPS time ").append(gps.time());
                }
                line(b, "gps", g.toString());
            }
            line(b, "captured", orDash(captured));
            line(b, "camera", camera.describe());
            line(b, "software", orDash(software));
            line(b, "icc profile", iccProfile == null ? "none" : iccProfile + " (not applied, as in Pillow)");
            if (warnings.isEmpty()) {
                line(b, "warnings", "none");
            } else {
                for (int i = 0; i < warnings.size(); i++) {
                    line(b, i == 0 ? "warnings" : "", warnings.get(i));
                }
            }
            return b.toString();
        }

        private static void line(StringBuilder b, String label, String value) {
            b.append(String.format(Locale.ROOT, "  %-13s %s%n", label, value));
        }

        private static String orDash(String s) {
            return s == null ? "-" : s;
        }

        /** 7 decimals = 1 cm; also hides float noise from EXIF rationals. */
        private static double degrees(double d) {
            return Math.round(d * 1e7) / 1e7;
        }
    }

    /** {@code gps}: degrees, metres, "exif" or "xmp", ISO 8601 UTC time. */
    record Gps(double lat, double lon, Double alt, String source, String time) {
    }

    /** {@code camera}: each field null when the file does not say. */
    record Camera(String make, String model, String lens) {
        String describe() {
            String body = String.join(" ", java.util.stream.Stream.of(make, model).filter(s -> s != null).toList());
            if (lens != null) {
                body = (body.isEmpty() ? "" : body + ", ") + "lens " + lens;
            }
            return body.isEmpty() ? "-" : body;
        }
    }
}
