package org.geopigeon.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.geopigeon.service.GeoPigeonConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/configuration.md is the one reference of every setting: each setting the service reads and each option of
 * each command must appear there, so a new one cannot be added without documenting it.
 */
class ConfigurationDocTest {

    private static String doc() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/configuration.md"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "docs/configuration.md not found above " + Path.of("").toAbsolutePath());
        return Files.readString(dir.resolve("docs/configuration.md"));
    }

    @Test
    void everyServiceSettingIsDocumentedWithItsPropertyAndEnvironmentName() throws IOException {
        Set<String> read = new TreeSet<>();
        // Ask the real reader which names it looks up: every property, then (all unset) its environment variable.
        GeoPigeonConfig.from(name -> {
            read.add(name);
            return null;
        }, name -> {
            read.add(name);
            return null;
        });
        assertTrue(read.contains("geopigeon.jdbc.url") && read.contains("GEOPIGEON_JDBC_URL"), read.toString());
        String doc = doc();
        List<String> missing = read.stream()
                .filter(n -> n.startsWith("geopigeon.") || n.startsWith("GEOPIGEON_")) // not the JDK's user.home
                .filter(n -> !doc.contains("`" + n + "`")).toList();
        assertTrue(missing.isEmpty(), "settings read by GeoPigeonConfig but missing from docs/configuration.md: "
                + missing);
    }

    @Test
    void everyOptionOfEveryCommandIsDocumented() throws IOException {
        String doc = doc();
        List<String> missing = new ArrayList<>();
        collect(new CommandLine(new GeoPigeonCli()), doc, missing);
        assertTrue(missing.isEmpty(), "command-line options missing from docs/configuration.md: " + missing);
    }

    private static void collect(CommandLine cmd, String doc, List<String> missing) {
        String name = cmd.getCommandSpec().qualifiedName(" ").replaceFirst("^geopigeon ?", "");
        name = name.isEmpty() ? "geopigeon" : name; // options every command inherits are documented once, there
        String section = section(doc, name);
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp() || o.inherited()) {
                continue;
            }
            if (section == null || !section.contains("`" + o.longestName())) {
                missing.add(name + " " + o.longestName() + (section == null ? " (no section \"### `" + name + "`\")" : ""));
            }
        }
        for (CommandLine sub : cmd.getSubcommands().values()) {
            if (!sub.getCommandSpec().name().equals("help")) {
                collect(sub, doc, missing);
            }
        }
    }

    /**
     * The text under the heading that names the command ("### `audit verify`, `audit list`" names audit list),
     * up to the next heading; null when there is none.
     */
    private static String section(String doc, String command) {
        List<String> lines = doc.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("### ") && lines.get(i).contains("`" + command + "`")) {
                StringBuilder sb = new StringBuilder();
                for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("#"); j++) {
                    sb.append(lines.get(j)).append('\n');
                }
                return sb.toString();
            }
        }
        return null;
    }
}
