package org.geopigeon.app.serve.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.geopigeon.app.serve.http.Problem;
import org.geopigeon.app.serve.http.ProblemException;
import org.junit.jupiter.api.Test;

/** An execute request without inputs gets one explanation, whether its body is empty, {@code {}} or only outputs. */
class NoInputsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ProcessSpec GEOLOCATE = new GeolocateProcess(null, null, MAPPER, true, 5).spec();

    @Test
    void anEmptyBodyAnEmptyObjectAndAnObjectWithoutInputsAreTheSameProblem() {
        Problem empty = refused("");
        assertEquals(400, empty.status());
        assertEquals("INVALID_REQUEST", empty.code());
        assertEquals("the execute request has no inputs: send a JSON object whose 'inputs' member gives at least"
                + " image and purpose (process geolocate takes " + GEOLOCATE.inputNames() + "; OGC API - Processes,"
                + " clause 7.11.2)", empty.detail());
        assertEquals(empty.detail(), refused("{}").detail());
        assertEquals(empty.detail(), refused("  {\"response\": \"document\"} ").detail());
    }

    @Test
    void aBodyThatIsNotAnObjectIsStillToldSo() {
        assertEquals("the execute request must be a JSON object with an 'inputs' member (OGC API - Processes,"
                + " clause 7.11.2)", refused("[1,2]").detail());
    }

    private static Problem refused(String body) {
        ExecuteRequestReader reader = new ExecuteRequestReader(MAPPER, 1 << 20, null);
        return assertThrows(ProblemException.class, () -> reader.read(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), GEOLOCATE)).problem();
    }
}
