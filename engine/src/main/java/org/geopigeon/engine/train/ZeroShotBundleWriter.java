package org.geopigeon.engine.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.geopigeon.engine.bundle.BundleFolder;
import org.geopigeon.engine.bundle.BundleManifest;
import org.geopigeon.engine.captions.CaptionData;
import org.geopigeon.engine.captions.GeocellCaptioner;
import org.geopigeon.engine.geocell.GeocellGeoJson;
import org.geopigeon.engine.geocell.GeocellSet;
import org.geopigeon.engine.model.GeocellHead;
import org.geopigeon.engine.clip.ClipModel;
import org.geopigeon.engine.clip.ZeroShotHead;
import org.geopigeon.engine.io.AtomicFiles;

/**
 * {@code geopigeon zeroshot}'s pipeline: a working geolocator from a CLIP checkpoint and no photos. Captions every
 * geocell ({@link GeocellCaptioner}), embeds them with the bundle's text tower into a head ({@link ZeroShotHead}:
 * row c = logitScale * normalised mean caption embedding, PIGEON's zero-shot baseline) and writes a complete
 * bundle, a copy of the CLIP bundle with the geocells and that head, taking CLIP's normalised image embedding
 * ({@code headInput = clip-image}). Nothing is written unless everything succeeded.
 */
public final class ZeroShotBundleWriter {

    /**
     * How captions are made.
     *
     * @param data          caption facts and templates ({@link CaptionData#shipped()} or with a user's templates)
     * @param templatesName the user's template file name for the provenance, or null for the shipped templates
     * @param options       towns per cell and the search radius for cells without one
     * @param batch         captions per text-tower call, at least 1
     */
    public record Captions(CaptionData data, String templatesName, GeocellCaptioner.Options options, int batch) {
        public Captions {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(options, "options");
            if (batch < 1) {
                throw new IllegalArgumentException("caption batch must be positive, got " + batch);
            }
        }
    }

    private ZeroShotBundleWriter() {
    }

    /**
     * @param clipBundle   a bundle with a {@code clip} section (text tower, tokenizer)
     * @param geocellFile  the geocell GeoJSON (class order)
     * @param out          the new bundle folder (must not exist, or be empty)
     * @param name         its model name
     * @param saveCaptions also write the captions as TSV ({@code class_index, cell_id, caption}), or null
     * @param log          receives progress lines
     * @throws IOException when an input is unusable or the output exists (the message names the file)
     */
    public static void write(Path clipBundle, Path geocellFile, Captions captions, Path out, String name, Path saveCaptions,
                             Consumer<String> log) throws IOException {
        BundleFolder.requireNew(out);
        GeocellSet cells = GeocellGeoJson.read(geocellFile);
        GeocellHead head;
        double scale;
        String clipName;
        int total;
        // The text tower first: a bundle without a 'clip' section is refused before the captions are built.
        try (ClipModel clip = ClipModel.load(clipBundle)) {
            List<List<String>> perCell = new GeocellCaptioner(captions.data(), captions.options()).captions(cells);
            total = perCell.stream().mapToInt(List::size).sum();
            log.accept(String.format(Locale.ROOT, "%d captions for %d geocells (%.1f per cell)", total, cells.size(),
                    (double) total / cells.size()));
            if (saveCaptions != null) {
                writeCaptions(cells, perCell, saveCaptions);
            }
            head = ZeroShotHead.build(perCell, clip, captions.batch(), log);
            scale = clip.logitScale();
            clipName = clip.manifest().name();
        }
        String detail = String.format(Locale.ROOT, "zero-shot: row c = %.4g * normalise(mean of the normalised CLIP text "
                + "embeddings of cell c's captions), bias 0; %d captions over %d geocells from %s templates, up to %d "
                + "towns per cell (GeoNames cities500, CC BY 4.0; %.0f km search for cells without one); text tower "
                + "of bundle '%s'", scale, total, cells.size(), captions.templatesName() == null ? "the shipped"
                : captions.templatesName() + "'s", captions.options().townsPerCell(), captions.options().nearbyTownKm(),
                clipName);
        String description = String.format(Locale.ROOT, "Zero-shot geolocator: CLIP image-text similarity to captions "
                + "of %d geocells (prompt ensembling), no geotagged photos used. Train it further with "
                + "'geopigeon train --init zeroshot'.", cells.size());
        String provenance = String.format(Locale.ROOT, "geopigeon zeroshot: CLIP bundle %s; geocells %s (%d); %s.",
                clipBundle.toAbsolutePath().normalize().getFileName(), geocellFile.getFileName(), cells.size(), detail);
        TrainedBundleWriter.write(clipBundle, out, new TrainedBundleWriter.Contents(cells, head, null, name, description,
                provenance, BundleManifest.HEAD_INPUT_CLIP_IMAGE, new BundleManifest.HeadSource("zeroshot", detail)));
        log.accept("wrote model bundle " + out);
    }

    private static void writeCaptions(GeocellSet cells, List<List<String>> captions, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("class_index\tcell_id\tcaption");
        for (int i = 0; i < cells.size(); i++) {
            for (String c : captions.get(i)) {
                lines.add(i + "\t" + cells.get(i).id() + "\t" + c);
            }
        }
        AtomicFiles.write(file, tmp -> Files.write(tmp, lines, StandardCharsets.UTF_8));
    }
}
