package org.geopigeon.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * docs/spark.md's output table names exactly the columns the job writes ({@link LocateRows#SCHEMA} plus the
 * {@code geometry} column of {@link GeoParquetOutput}), and the fields of {@code top_cells} and {@code timings_ms}
 * in their order (trial finding: the table listed a {@code class_index} that is not written and left out
 * {@code trained}, {@code top_k} and {@code exif_distance_km}).
 */
class SparkDocColumnsTest {

    private static final Path DOC = Path.of("../docs/spark.md");
    private static final Pattern NAME = Pattern.compile("`([a-z0-9_]+)`");

    @Test
    void theOutputTableListsTheWrittenColumns() throws IOException {
        List<String[]> rows = table();
        Set<String> documented = new TreeSet<>();
        for (String[] r : rows) {
            Matcher m = NAME.matcher(r[0]);
            while (m.find()) {
                documented.add(m.group(1));
            }
        }
        Set<String> written = new TreeSet<>(Arrays.asList(LocateRows.SCHEMA.fieldNames()));
        written.add(GeoParquetOutput.GEOMETRY);
        assertEquals(written, documented, "docs/spark.md output table vs LocateRows.SCHEMA");
    }

    @Test
    void nestedFieldsAreListedInOrder() throws IOException {
        String topCells = meaning("top_cells");
        Matcher m = Pattern.compile("array of \\(([a-z0-9_, ]+)\\)").matcher(topCells);
        assertTrue(m.find(), topCells);
        StructType cell = (StructType) ((ArrayType) field("top_cells").dataType()).elementType();
        assertEquals(Arrays.asList(cell.fieldNames()), List.of(m.group(1).split(",\\s*")));

        String timings = meaning("timings_ms");
        Matcher t = Pattern.compile("milliseconds: ([a-z0-9_, ]+?) \\(").matcher(timings);
        assertTrue(t.find(), timings);
        assertEquals(Arrays.asList(((StructType) field("timings_ms").dataType()).fieldNames()),
                List.of(t.group(1).split(",\\s*")));
    }

    private static StructField field(String name) {
        return LocateRows.SCHEMA.fields()[LocateRows.SCHEMA.fieldIndex(name)];
    }

    private static String meaning(String column) throws IOException {
        for (String[] r : table()) {
            if (r[0].equals("`" + column + "`")) {
                return r[1];
            }
        }
        throw new AssertionError("no row for " + column + " in " + DOC);
    }

    /** The rows (first cell, second cell) of the table under "## Output". */
    private static List<String[]> table() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf("| column | meaning |");
        assertTrue(start >= 0, "output table in " + DOC);
        List<String[]> rows = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|", -1);
            rows.add(new String[] {cells[1].trim(), cells[2].trim()});
        }
        return rows;
    }
}
