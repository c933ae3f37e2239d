package io.tarn.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A 512 MiB multipart part goes through the server without being held: the handler sees its first
 * bytes long before the client has produced the rest, and the live heap after a GC half-way
 * through stays far below the part's size.
 */
class MultipartStreamingTest {
    private static final long SIZE = 512L * 1024 * 1024;
    private static final long MiB = 1024 * 1024;

    /** Deterministic bytes generated on the fly, never held; counts what it produced. */
    static final class Generated extends InputStream {
        private final long size;
        private final AtomicLong produced;
        private final MessageDigest md5;
        private long position;

        Generated(long size, AtomicLong produced, MessageDigest md5) {
            this.size = size;
            this.produced = produced;
            this.md5 = md5;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                // includes '\r', '\n' and '-' often enough to exercise the boundary search
                b[off + i] = (byte) ((p * 31 + (p >>> 9)) % 97 == 0 ? '\r' : (p * 7 + (p >>> 13)));
            }
            md5.update(b, off, n);
            position += n;
            produced.addAndGet(n);
            return n;
        }
    }

    @Test
    void aLargePartIsStreamedNotHeld() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        AtomicLong produced = new AtomicLong();
        long[] producedWhenFirstSeen = {-1};
        long[] heapHalfway = {-1};
        Operations ops = TestDocument.echoOperations();
        Operations withUpload = new Operations();
        ops.asMap().forEach((id, op) -> {
            if (!id.equals("uploadObject")) {
                withUpload.add(id, op);
            }
        });
        withUpload.add("uploadObject", (rq, rs) -> {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            long size = 0;
            try (InputStream in = rq.multipartFile("content")) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (size == 0 && n > 0) {
                        producedWhenFirstSeen[0] = produced.get();
                    }
                    md5.update(buffer, 0, n);
                    long before = size;
                    size += n;
                    if (before < SIZE / 2 && size >= SIZE / 2) {
                        System.gc();
                        heapHalfway[0] = memory.getHeapMemoryUsage().getUsed();
                    }
                }
            }
            rs.json(201, Map.of("size_bytes", size, "checksum", HexFormat.of().formatHex(md5.digest())));
        });
        try (HttpServer server = TestServers.start(HttpServer.Settings.of("127.0.0.1", 0), TestDocument.bytes(),
                withUpload, TestServers.basic((ak, sk) -> true, "u"), RequestObserver.NONE)) {
            System.gc();
            long baseline = memory.getHeapMemoryUsage().getUsed();
            String boundary = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"content\""
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            MessageDigest sent = MessageDigest.getInstance("MD5");
            long length = head.length + SIZE + tail.length;
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/api/v0/repositories/r/branches/main/objects?path=big"))
                    .timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes()))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() ->
                            new SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                                    new ByteArrayInputStream(head), new Generated(SIZE, produced, sent),
                                    new ByteArrayInputStream(tail))))), length))
                    .build();
            long start = System.nanoTime();
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            var body = Json.mapper().readTree(response.body());
            assertThat(body.path("size_bytes").asLong()).isEqualTo(SIZE);
            assertThat(body.path("checksum").asText()).isEqualTo(HexFormat.of().formatHex(sent.digest()));

            System.out.printf("multipart streaming: %d MiB in %.1f s (%.0f MiB/s); first bytes seen after %d MiB"
                            + " produced; live heap half-way %+d MiB over the baseline%n", SIZE / MiB, seconds,
                    SIZE / MiB / seconds, producedWhenFirstSeen[0] / MiB, (heapHalfway[0] - baseline) / MiB);
            // the handler saw the part while the client was still producing it
            assertThat(producedWhenFirstSeen[0]).isBetween(1L, 64 * MiB);
            // and nothing close to half the part was live half-way through
            assertThat(heapHalfway[0] - baseline).isLessThan(64 * MiB);
        }
    }
}
