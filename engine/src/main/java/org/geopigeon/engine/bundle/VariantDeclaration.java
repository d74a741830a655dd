package org.geopigeon.engine.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.geopigeon.engine.model.TorchScriptBackbone;

/**
 * What a precision variant file declares about itself in its TorchScript extra file
 * ({@value TorchScriptBackbone#EXTRA_FILE}, written by {@code tools/export_precision_variants.py}): here, the
 * TorchScript methods that map images to embeddings ({@code "methods"}). Read from the archive with
 * {@link ZipFile} (a TorchScript file is a zip archive; the extra file is {@code <archive>/extra/geopigeon.json}),
 * without loading the module: the bundle loader decides which variant may serve a head before paying for a load.
 *
 * @param methods the declared methods; empty when the file declares none (variants written before the declaration
 *                existed, which carry {@code forward} only)
 */
record VariantDeclaration(Set<String> methods) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SUFFIX = "/extra/" + TorchScriptBackbone.EXTRA_FILE;

    VariantDeclaration {
        methods = Set.copyOf(methods);
    }

    /**
     * @throws IOException when the file is not a zip archive or its declaration is not JSON (the message names the
     *                     file)
     */
    static VariantDeclaration read(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.getName().endsWith(SUFFIX) && e.getName().indexOf('/') == e.getName().length() - SUFFIX.length()) {
                    try (InputStream in = zip.getInputStream(e)) {
                        JsonNode json = MAPPER.readTree(in);
                        Set<String> methods = new LinkedHashSet<>();
                        json.path("methods").forEach(m -> methods.add(m.asText()));
                        return new VariantDeclaration(methods);
                    }
                }
            }
            return new VariantDeclaration(Set.of());
        } catch (IOException e) {
            throw new IOException(file + ": cannot read its " + TorchScriptBackbone.EXTRA_FILE + " declaration ("
                    + e.getMessage() + ")", e);
        }
    }

    /** True when the variant declares {@code method} ({@code forward} is in every TorchScript module). */
    boolean has(String method) {
        return TorchScriptBackbone.FORWARD.equals(method) || methods.contains(method);
    }
}
