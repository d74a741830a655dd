package org.geopigeon.engine.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import org.geopigeon.engine.io.AtomicFiles;

/**
 * Writes a new {@code manifest.json} from a {@link BundleManifest} record: the one serialisation of the record, so
 * the manifest written for a fresh bundle (the demo bundles of tools/build_demo_bundle.py and
 * tools/build_demo_clip_bundle.py) has exactly the fields {@link ModelBundle} reads back.
 *
 * <p>Fields are written in the record's {@code @JsonPropertyOrder}, pretty-printed; {@code geocells}, {@code head}
 * and {@code refinement} are written even when null (a CLIP bundle before {@code zeroshot}), other null sections
 * (no CLIP part, no head input or head source) are left out, which readers treat like explicit nulls;
 * {@code backbone.variants} is sorted by precision id so the file is byte-identical on every run. The writers that derive a bundle from a base bundle
 * (training, zero-shot, pretraining) edit the base manifest as a JSON tree instead, so fields a newer version
 * added survive.
 */
public final class ManifestWriter {

    /** The file name of a bundle's manifest. */
    public static final String FILE = "manifest.json";

    // Two-space indent, one array element per line, "key": value: the layout of Python's json.dump(indent=2), which
    // wrote the manifests before, so regenerated manifests keep their bytes and diffs stay readable.
    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(INDENT)
                    .withArrayIndenter(INDENT))
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestWriter() {
    }

    /** The manifest as the UTF-8 text {@link #write} stores (ends with a newline). */
    public static String toJson(BundleManifest manifest) throws IOException {
        return MAPPER.writeValueAsString(manifest) + "\n";
    }

    /**
     * Writes {@code folder/manifest.json} atomically (a temporary file in the folder, then a rename), replacing an
     * existing one.
     *
     * @throws IllegalArgumentException when the manifest lacks its format, name or backbone section
     * @throws IOException              when the folder cannot be written
     */
    public static Path write(BundleManifest manifest, Path folder) throws IOException {
        if (!BundleManifest.FORMAT.equals(manifest.format())) {
            throw new IllegalArgumentException("manifest format must be " + BundleManifest.FORMAT + ", not "
                    + manifest.format());
        }
        if (manifest.name() == null || manifest.name().isBlank() || manifest.backbone() == null) {
            throw new IllegalArgumentException("a manifest needs a name and a backbone section");
        }
        return AtomicFiles.writeString(folder.resolve(FILE), toJson(manifest));
    }
}
