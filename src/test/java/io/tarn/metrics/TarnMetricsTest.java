package io.tarn.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Timer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.tarn.block.BlockNotFoundException;
import io.tarn.block.BlockStore;
import io.tarn.block.StorageNamespace;
import io.tarn.block.memory.MemoryBlockStore;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.kv.memory.MemoryKvStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TarnMetricsTest {

    private final TarnMetrics metrics = TarnMetrics.create();

    @AfterEach
    void close() {
        metrics.close();
    }

    private long requests(String surface, String operation, String status) {
        Timer t = metrics.registry().find(TarnMetrics.REQUEST_DURATION)
                .tags("surface", surface, "operation", operation, "status", status).timer();
        return t == null ? 0 : t.count();
    }

    private long kvCalls(String operation) {
        return metrics.registry().get(TimedKvStore.DURATION).tag("operation", operation).timer().count();
    }

    private long blockCalls(String operation) {
        return metrics.registry().get(TimedBlockStore.DURATION).tag("operation", operation).timer().count();
    }

    private PrometheusTextCheck scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(out);
        return PrometheusTextCheck.parse(out.toString(UTF_8));
    }

    @Test
    void requestsAreCountedBySurfaceOperationAndStatus() {
        metrics.requestFinished("classic", "listRepositories", 200, 2_000_000, 0, 120);
        metrics.requestFinished("classic", "listRepositories", 200, 4_000_000, 0, 80);
        metrics.requestFinished("classic", "listRepositories", 404, 1_000, 0, 30);
        metrics.requestFinished("s3", "PutObject", 200, 7_000_000, 1000, 0);

        assertThat(requests("classic", "listRepositories", "200")).isEqualTo(2);
        assertThat(requests("classic", "listRepositories", "404")).isEqualTo(1);
        assertThat(requests("s3", "PutObject", "200")).isEqualTo(1);
        Timer t = metrics.registry().get(TarnMetrics.REQUEST_DURATION)
                .tags("surface", "classic", "operation", "listRepositories", "status", "200").timer();
        assertThat(t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(6.0);
        assertThat(metrics.registry().get(TarnMetrics.RESPONSE_BYTES).tag("surface", "classic").counter().count())
                .isEqualTo(230);
        assertThat(metrics.registry().get(TarnMetrics.REQUEST_BYTES).tag("surface", "s3").counter().count())
                .isEqualTo(1000);
    }

    @Test
    void oddNamesAndStatusesAreClamped() {
        metrics.requestFinished("s3", null, 404, 1, 0, 0);
        metrics.requestFinished("s3", "", 404, 1, 0, 0);
        metrics.requestFinished("s3", "x".repeat(65), 400, 1, 0, 0);
        metrics.requestFinished("s3", "bad name\"}", 400, 1, 0, 0);
        metrics.requestFinished(null, "op", 200, 1, 0, 0);
        metrics.requestFinished("ui", "op", 42, -5, 0, 0);
        metrics.requestFinished("ui", "op", 600, 1, 0, 0);

        assertThat(requests("s3", "unknown", "404")).isEqualTo(2);
        assertThat(requests("s3", "other", "400")).isEqualTo(2);
        assertThat(requests("unknown", "op", "200")).isEqualTo(1);
        assertThat(requests("ui", "op", "0")).isEqualTo(2);
        assertThat(TarnMetrics.clamp("get_object.v2:x/y-z")).isEqualTo("get_object.v2:x/y-z");
    }

    @Test
    void seriesBeyondTheCapGoToOther() {
        int distinct = TarnMetrics.MAX_REQUEST_SERIES + 500;
        for (int i = 0; i < distinct; i++) {
            metrics.requestFinished("current", "op" + i, 200, 1, 0, 0);
        }
        metrics.requestFinished("current", "op0", 500, 1, 0, 0); // a new status of a known operation
        metrics.requestFinished("current", "op1", 200, 1, 0, 0); // an existing series still counts as itself

        assertThat(metrics.registry().find(TarnMetrics.REQUEST_DURATION).timers())
                .hasSize(TarnMetrics.MAX_REQUEST_SERIES + 2);
        assertThat(requests("current", "op1", "200")).isEqualTo(2);
        assertThat(requests("current", "op" + (distinct - 1), "200")).isZero();
        assertThat(requests("current", "other", "200")).isEqualTo(500);
        assertThat(requests("current", "other", "500")).isEqualTo(1);
    }

    @Test
    void concurrentCallersLoseNoRequest() throws Exception {
        int threads = 8;
        int each = 20_000;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        metrics.requestFinished(i % 2 == 0 ? "classic" : "s3", "op" + (i % 7), 200 + i % 3, 1000, 1, 2);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (var f : futures) {
                f.get();
            }
        }
        long total = metrics.registry().find(TarnMetrics.REQUEST_DURATION).timers().stream()
                .mapToLong(Timer::count).sum();
        assertThat(total).isEqualTo((long) threads * each);
        assertThat(metrics.registry().find(TarnMetrics.REQUEST_DURATION).timers()).hasSize(2 * 7 * 3);
        assertThat(metrics.registry().get(TarnMetrics.RESPONSE_BYTES).tag("surface", "s3").counter().count())
                .isEqualTo(threads * each);
    }

    @Test
    void kvCallsAreTimedByOperation() {
        KvStore kv = metrics.timed(new MemoryKvStore());
        kv.put("a".getBytes(UTF_8), "1".getBytes(UTF_8));
        kv.put("b".getBytes(UTF_8), "2".getBytes(UTF_8));
        kv.get("a".getBytes(UTF_8));
        kv.get("z".getBytes(UTF_8));
        kv.compareAndSet("a".getBytes(UTF_8), "1".getBytes(UTF_8), "3".getBytes(UTF_8));
        kv.write(new KvBatch().put("c".getBytes(UTF_8), "4".getBytes(UTF_8)));
        kv.delete("c".getBytes(UTF_8));
        try (KvIterator it = kv.scan(new byte[0], null)) {
            while (it.hasNext()) {
                it.next();
            }
        }
        kv.deletePrefix("a".getBytes(UTF_8));
        kv.close();

        assertThat(kvCalls("put")).isEqualTo(2);
        assertThat(kvCalls("get")).isEqualTo(2);
        assertThat(kvCalls("compareAndSet")).isEqualTo(1);
        assertThat(kvCalls("write")).isEqualTo(1);
        assertThat(kvCalls("delete")).isEqualTo(1);
        assertThat(kvCalls("scan")).isEqualTo(1);
        assertThat(kvCalls("deletePrefix")).isEqualTo(1);
        assertThat(metrics.registry().get(TimedKvStore.SCAN_ENTRIES).counter().count()).isEqualTo(2);
    }

    @Test
    void blockCallsAreTimedAndBytesCounted() throws IOException {
        BlockStore blocks = metrics.timed(new MemoryBlockStore());
        StorageNamespace ns = blocks.namespace("mem://metrics");
        byte[] data = new byte[3000];
        blocks.put(ns, "k", new ByteArrayInputStream(data), data.length);
        try (InputStream in = blocks.get(ns, "k", null)) {
            assertThat(in.readAllBytes()).hasSize(3000);
        }
        try (InputStream in = blocks.get(ns, "k", null)) {
            in.transferTo(new ByteArrayOutputStream());
        }
        blocks.stat(ns, "k");
        blocks.stat(ns, "missing");
        assertThatThrownBy(() -> blocks.get(ns, "missing", null)).isInstanceOf(BlockNotFoundException.class);
        String upload = blocks.createMultipartUpload(ns, "m");
        blocks.uploadPart(ns, "m", upload, 1, new ByteArrayInputStream(data), data.length);
        blocks.abortMultipartUpload(ns, "m", upload);
        blocks.delete(ns, "k");

        assertThat(blockCalls("put")).isEqualTo(1);
        assertThat(blockCalls("get")).isEqualTo(3); // the failed open counts too
        assertThat(blockCalls("stat")).isEqualTo(2);
        assertThat(blockCalls("createMultipartUpload")).isEqualTo(1);
        assertThat(blockCalls("uploadPart")).isEqualTo(1);
        assertThat(blockCalls("abortMultipartUpload")).isEqualTo(1);
        assertThat(blockCalls("delete")).isEqualTo(1);
        assertThat(blockCalls("copy")).isZero();
        assertThat(metrics.registry().get(TimedBlockStore.BYTES_READ).counter().count()).isEqualTo(6000);
        assertThat(metrics.registry().get(TimedBlockStore.BYTES_WRITTEN).counter().count()).isEqualTo(6000);
    }

    @Test
    void cachesPublishHitsMissesAndSize() throws IOException {
        Cache<String, String> cache = Caffeine.newBuilder().maximumSize(100).recordStats().build();
        metrics.monitorCaches(Map.of("ranges", cache));
        cache.getIfPresent("a");
        cache.put("a", "1");
        cache.getIfPresent("a");
        cache.getIfPresent("a");

        PrometheusTextCheck text = scrape();
        assertThat(text.value("cache_gets_total", Map.of("cache", "ranges", "result", "hit"))).isEqualTo(2);
        assertThat(text.value("cache_gets_total", Map.of("cache", "ranges", "result", "miss"))).isEqualTo(1);
        assertThat(text.value("cache_size", Map.of("cache", "ranges"))).isEqualTo(1);
        assertThat(text.types).containsKey("cache_evictions_total");
    }

    @Test
    void scrapeIsValidPrometheusTextWithTheDocumentedFamilies() throws IOException {
        metrics.requestFinished("classic", "getObject", 200, 3_000_000, 0, 10);
        metrics.requestFinished("health", "health", 200, 100_000, 0, 0);
        metrics.timed(new MemoryKvStore()).get(new byte[] {1});
        metrics.timed(new MemoryBlockStore());

        PrometheusTextCheck text = scrape();
        assertThat(text.types).containsEntry("tarn_http_request_duration_seconds", "histogram")
                .containsEntry("tarn_http_request_bytes_total", "counter")
                .containsEntry("tarn_http_response_bytes_total", "counter")
                .containsEntry("tarn_kv_operation_duration_seconds", "histogram")
                .containsEntry("tarn_kv_scan_entries_total", "counter")
                .containsEntry("tarn_block_operation_duration_seconds", "histogram")
                .containsEntry("tarn_block_read_bytes_total", "counter")
                .containsEntry("tarn_block_written_bytes_total", "counter")
                .containsKeys("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                        "process_cpu_usage", "process_uptime_seconds", "process_start_time_seconds",
                        "process_files_open_files");
        Map<String, String> series = Map.of("surface", "classic", "operation", "getObject", "status", "200");
        assertThat(text.value("tarn_http_request_duration_seconds_count", series)).isEqualTo(1);
        assertThat(text.value("tarn_http_request_duration_seconds_sum", series)).isEqualTo(0.003);
        assertThat(text.find("tarn_http_request_duration_seconds_bucket", series))
                .hasSize(TarnMetrics.REQUEST_BUCKETS.length + 1);
        assertThat(text.value("tarn_http_request_duration_seconds_bucket",
                Map.of("operation", "getObject", "le", "0.001"))).isZero();
        assertThat(text.value("tarn_http_request_duration_seconds_bucket",
                Map.of("operation", "getObject", "le", "0.005"))).isEqualTo(1);
        assertThat(text.value("tarn_kv_operation_duration_seconds_count", Map.of("operation", "get"))).isEqualTo(1);
        assertThat(text.find("tarn_kv_operation_duration_seconds_bucket", Map.of("operation", "get")))
                .hasSize(TimedKvStore.BUCKETS.length + 1);
    }

    @Test
    void theContentTypeIsTheClientsTextFormat() {
        assertThat(metrics.contentType()).isEqualTo(PrometheusTextFormatWriter.CONTENT_TYPE)
                .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }

    @Test
    void theCheckerRejectsBrokenText() {
        assertThatThrownBy(() -> PrometheusTextCheck.parse("a{b=\"1\" 1\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusTextCheck.parse("# TYPE a counter\na 1\n# TYPE a counter\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusTextCheck.parse("a 1\nb 1\na{x=\"y\"} 2\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusTextCheck.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PrometheusTextCheck.parse("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
                + "h_count 2\nh_sum 1.5\nx{a=\"q\\\"\\\\\"} NaN 123\n").samples).hasSize(5);
    }
}
