package org.geopigeon.service.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The migration scripts of sql/ in the order psql should run them (numeric version order). */
final class SqlFiles {

    private SqlFiles() {
    }

    static List<Path> inVersionOrder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(SqlFiles::version))
                    .toList();
        }
    }

    private static int version(Path f) {
        String n = f.getFileName().toString();
        return Integer.parseInt(n.substring(1, n.indexOf("__")));
    }
}
