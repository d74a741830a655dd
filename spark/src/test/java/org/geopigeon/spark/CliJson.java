package org.geopigeon.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.app.GeoPigeonCli;
import picocli.CommandLine;

/** Runs {@code geopigeon locate --json} in this JVM (the CLI's own code path) and parses its JSON Lines. */
final class CliJson {

    private CliJson() {
    }

    /**
     * @param options further locate options (e.g. {@code --purpose P --jdbc URL}: the audited path, which adds
     *                the pixel hashes)
     * @return file name (as given) to its JSON object, for the files the CLI located
     */
    static Map<String, JsonNode> locate(Path bundle, List<Path> files, String... options) {
        List<String> args = new ArrayList<>(List.of("locate", "--json", "--bundle", bundle.toString()));
        args.addAll(List.of(options));
        files.forEach(f -> args.add(f.toString()));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GeoPigeonCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.execute(args.toArray(String[]::new));
        ObjectMapper mapper = new ObjectMapper();
        Map<String, JsonNode> byFile = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = mapper.readTree(line);
                byFile.put(n.get("file").asText(), n);
            } catch (IOException e) {
                throw new UncheckedIOException("CLI printed a line that is not JSON: " + line, e);
            }
        }
        return byFile;
    }
}
