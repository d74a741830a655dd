package org.geopigeon.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OPTICS + xi reproduce scikit-learn 1.2.1 (goldens from tools/make_optics_golden.py): identical
 * ordering, predecessors and labels; reachability and core distances within 1e-9.
 */
class OpticsGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    static Stream<Arguments> runs() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String name : List.of("blobs", "line", "duplicates", "lonlat_cities", "haversine")) {
            JsonNode doc = read(name);
            JsonNode runs = doc.get("runs");
            for (int i = 0; i < runs.size(); i++) {
                JsonNode r = runs.get(i);
                out.add(Arguments.of(name + " min_samples=" + r.get("min_samples").asInt() + " xi=" + r.get("xi").asDouble()
                        + " mcs=" + r.get("min_cluster_size").asText(), doc, r));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void matchesScikitLearn(String label, JsonNode doc, JsonNode run) {
        NeighborSearch data = doc.get("precomputed").asBoolean()
                ? DistanceMatrix.of(matrix(doc.get("matrix")))
                : EuclideanPoints2D.of(matrix(doc.get("points")));
        int minSamples = run.get("min_samples").asInt();
        OpticsResult r = Optics.run(data, minSamples);

        assertArrayEquals(ints(run.get("ordering")), r.ordering(), "ordering");
        assertClose(doubles(run.get("core_distances")), r.coreDistances(), "core distances");
        assertClose(doubles(run.get("reachability")), r.reachability(), "reachability");
        assertArrayEquals(ints(run.get("predecessor")), r.predecessor(), "predecessor");

        JsonNode mcsNode = run.get("min_cluster_size");
        int mcs = mcsNode.isNull() ? minSamples : Optics.resolveMinSamples(mcsNode.asDouble(), data.size());
        double xi = run.get("xi").asDouble();
        List<XiClusters.Cluster> clusters = XiClusters.clusters(r, minSamples, xi, mcs, true);
        JsonNode expectedClusters = run.get("clusters");
        assertEquals(expectedClusters.size(), clusters.size(), "cluster hierarchy size");
        for (int i = 0; i < clusters.size(); i++) {
            assertEquals(expectedClusters.get(i).get(0).asInt(), clusters.get(i).start(), "cluster " + i + " start");
            assertEquals(expectedClusters.get(i).get(1).asInt(), clusters.get(i).end(), "cluster " + i + " end");
        }
        assertArrayEquals(ints(run.get("labels")), XiClusters.labels(r, xi, mcs, true), "labels");
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.isInfinite(expected[i])) {
                assertEquals(expected[i], actual[i], what + " [" + i + "]");
            } else {
                assertEquals(expected[i], actual[i], 1e-9, what + " [" + i + "]");
            }
        }
    }

    private static JsonNode read(String name) throws IOException {
        try (InputStream in = OpticsGoldenTest.class.getResourceAsStream("/optics/" + name + ".json")) {
            assertNotNull(in, "golden file optics/" + name + ".json (run tools/make_optics_golden.py)");
            return JSON.readTree(in);
        }
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = doubles(rows.get(i));
        }
        return m;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }
}
