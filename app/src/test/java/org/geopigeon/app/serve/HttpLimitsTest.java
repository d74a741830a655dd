package org.geopigeon.app.serve;

import static org.geopigeon.app.serve.RunningService.geolocate;
import static org.geopigeon.app.serve.RunningService.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.geopigeon.app.serve.RawHttp.Answer;
import org.geopigeon.app.serve.RunningService.Form;
import org.geopigeon.app.serve.RunningService.Reply;
import org.geopigeon.app.serve.auth.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects measured on the first service, on the new stack: read timeouts and a minimum data rate so slow
 * clients cannot starve others, 413 from the headers (and seen by clients that send the whole body first),
 * JSON problems for malformed requests, and bounded in-memory uploads that never touch the disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpLimitsTest {

    @TempDir
    static Path multipartCache;

    private RunningService svc;

    @BeforeAll
    void start() throws Exception {
        svc = RunningService.start("limits", b -> b.readTimeout(Duration.ofSeconds(3))
                .headerTimeout(Duration.ofSeconds(2)).minDataRate(16 * 1024).multipartCacheDir(multipartCache));
    }

    @AfterAll
    void stop() {
        svc.close();
    }

    private String auth() {
        return "Authorization: Bearer " + svc.token(Role.ANALYST) + "\r\n";
    }

    private URI base() {
        return svc.server.uri();
    }

    @Test
    void aMalformedContentLengthGetsAJsonProblem() throws IOException {
        Answer a = RawHttp.exchange(base(), "POST /processes/geolocate/execution HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 12abc\r\n\r\n", null, Duration.ofSeconds(5));
        assertEquals(400, a.status());
        assertTrue(a.header("Content-Type").startsWith("application/problem+json"), a.headers().toString());
        JsonNode p = RunningService.parse(a.body());
        assertEquals(400, p.get("status").asInt());
        assertTrue(p.get("detail").asText().contains("malformed"), a.body());
    }

    @Test
    void aTooLargeBodyIsRefusedFromItsHeadersAndAClientSendingItAllStillSeesThe413() throws Exception {
        long rows = svc.auditRowCount();
        long declared = 200L * 1024 * 1024;
        String head = "POST /processes/geolocate/execution HTTP/1.1\r\nHost: localhost\r\n" + auth()
                + "Content-Type: application/json\r\nContent-Length: " + declared + "\r\n";
        // Like curl: Expect 100-continue, the body is never sent.
        long t0 = System.nanoTime();
        Answer expect = RawHttp.exchange(base(), head + "Expect: 100-continue\r\n\r\n", null, Duration.ofSeconds(5));
        assertEquals(413, expect.status());
        assertTrue((System.nanoTime() - t0) / 1e9 < 2, "answered from the headers");
        assertTrue(RunningService.parse(expect.body()).get("detail").asText().contains("4/3"), expect.body());
        // Like Python's http.client: the whole body first, then read the answer.
        try (RawHttp h = new RawHttp(base(), Duration.ofSeconds(30))) {
            h.send(head + "\r\n");
            byte[] chunk = new byte[1 << 20];
            for (long sent = 0; sent < declared; sent += chunk.length) {
                h.send(chunk);
            }
            Answer a = h.read();
            assertEquals(413, a.status(), "the answer survives the upload: " + a.body());
            assertEquals("TOO_LARGE", RunningService.parse(a.body()).get("code").asText());
        }
        assertEquals(rows + 2, svc.auditRowCount(), "both refusals audited");
    }

    @Test
    void slowClientsAreCutOffAndDoNotStarveTheOthers() throws Exception {
        int slow = 20;
        ExecutorService pool = Executors.newFixedThreadPool(slow * 2);
        List<Future<Answer>> trickles = new ArrayList<>();
        try {
            for (int i = 0; i < slow; i++) {
                boolean headers = i % 2 == 0;
                trickles.add(pool.submit(() -> trickle(headers)));
            }
            Thread.sleep(500); // the slow clients are connected and sending
            List<Double> ms = Collections.synchronizedList(new ArrayList<>());
            long end = System.nanoTime() + 4_000_000_000L;
            int n = 0;
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                Reply r = n % 3 == 0 ? svc.execute("geolocate", Role.ANALYST, geolocate("normal traffic", jpeg(n),
                        "store", "false"), "Prefer", "respond-sync")
                        : svc.get(n % 3 == 1 ? "/health/ready" : "/processes", null);
                ms.add((System.nanoTime() - t0) / 1e6);
                assertTrue(r.status() == 200, "normal request " + n + ": " + r.status() + " " + r.body());
                n++;
            }
            List<Double> sorted = new ArrayList<>(ms);
            Collections.sort(sorted);
            double p95 = sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
            assertTrue(p95 < 2000, "p95 of normal requests beside " + slow + " slow clients: " + p95 + " ms " + sorted);
            for (Future<Answer> f : trickles) {
                Answer a = f.get();
                assertTrue(a.status() == 408 || a.status() == -1, "slow client cut off: " + a.status() + " " + a.body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Trickles the headers, or a 1 MiB body, one byte every 200 ms; returns what the server answered. */
    private Answer trickle(boolean headers) throws IOException {
        try (RawHttp h = new RawHttp(base(), Duration.ofSeconds(30))) {
            String head = "POST /processes/geolocate/execution HTTP/1.1\r\nHost: localhost\r\n" + auth()
                    + "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n";
            long deadline = System.nanoTime() + 20_000_000_000L;
            int i = 0;
            try {
                if (!headers) {
                    h.send(head);
                }
                while (System.nanoTime() < deadline) {
                    h.send(headers ? new byte[] {(byte) head.charAt(i++ % head.length())} : new byte[] {' '});
                    Thread.sleep(200);
                }
            } catch (IOException closed) {
                // the server gave up on us, as it should
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return h.read();
        } catch (IOException e) {
            return new Answer(-1, java.util.Map.of(), e.getMessage());
        }
    }

    @Test
    void multipartUploadsStayInMemoryAndNeverReachTheDisk() throws Exception {
        byte[] big = new byte[20 * 1024 * 1024]; // 20 MiB, not an image: parsed in full, then refused
        new java.util.Random(1).nextBytes(big);
        Form f = new Form().file("image", "big.bin", "application/octet-stream", big).field("purpose", "disk check");
        try (Stream<Path> before = Files.list(multipartCache)) {
            assertEquals(0, before.count());
        }
        Reply r = svc.post("/api/v1/locate", Role.ANALYST, f.contentType(), f.body());
        assertEquals(415, r.status(), r.body());
        assertEquals("INVALID_IMAGE", r.json().get("code").asText());
        try (Stream<Path> after = Files.list(multipartCache)) {
            assertEquals(List.of(), after.toList(), "Jetty wrote a part to its spill folder");
        }
    }

    @Test
    void uploadsBeyondTheMemoryBudgetGet503WithRetryAfter() throws Exception {
        long one = ServerSettings.maxUploadBody(ServerSettings.DEFAULT_MAX_IMAGE_BYTES);
        try (GeoPigeonServer small = RunningService.start(RunningService.settings().toBuilder().maxBufferedBytes(one)
                .minDataRate(0).build(), svc.bundle, svc.db.dataSource());
             RawHttp holding = new RawHttp(small.uri(), Duration.ofSeconds(10))) {
            holding.send("POST /processes/geolocate/execution HTTP/1.1\r\nHost: localhost\r\n" + auth()
                    + "Content-Type: application/json\r\nContent-Length: 30000000\r\n\r\n{");
            long wait = System.nanoTime() + 5_000_000_000L;
            while (small.bufferedBytes() == 0 && System.nanoTime() < wait) {
                Thread.sleep(20);
            }
            assertEquals(30_000_000, small.bufferedBytes());
            Answer a = RawHttp.exchange(small.uri(), "POST /processes/geolocate/execution HTTP/1.1\r\nHost: localhost\r\n"
                    + auth() + "Content-Type: application/json\r\nContent-Length: 7000000\r\nExpect: 100-continue\r\n\r\n",
                    null, Duration.ofSeconds(5));
            assertEquals(503, a.status(), a.headers() + " " + a.body());
            assertTrue(Integer.parseInt(a.header("Retry-After")) >= 1, a.headers().toString());
            JsonNode p = RunningService.parse(a.body());
            assertEquals("BUSY", p.get("code").asText());
            assertEquals("refused", svc.auditRow(p.get("audit_id").asLong()).outcome());
        }
    }
}
