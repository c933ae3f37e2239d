package io.tarn.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tarn.block.BlockStore;
import io.tarn.kv.KvStore;
import io.tarn.kv.postgres.PostgresKvStore;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The server's metrics: one Prometheus registry holding the HTTP request meters, the store
 * decorators' timers, cache statistics and the JVM/process meters, scraped as the Prometheus text
 * format (version 0.0.4) by {@code GET /metrics}. See {@code docs/metrics.md} for every name.
 *
 * <p>{@link #requestFinished} runs on every request: after the first request of a given
 * (surface, operation, status) it is two map look-ups, an array read and the meter updates, without
 * allocation.
 */
public final class TarnMetrics implements AutoCloseable {

    /** The content type of {@link #scrape}: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Distinct (surface, operation, status) request series before new operations count as {@link #OTHER}. */
    public static final int MAX_REQUEST_SERIES = 1000;
    /** Distinct surfaces before new ones count as {@link #OTHER}. */
    public static final int MAX_SURFACES = 32;
    /** Longest operation or surface name kept as given; longer ones count as {@link #OTHER}. */
    public static final int MAX_NAME_LENGTH = 64;
    /** The operation of a request no route matched (also used for a null or empty name). */
    public static final String UNKNOWN = "unknown";
    /** Where names past the caps, too long, or with unexpected characters are recorded. */
    public static final String OTHER = "other";

    static final String REQUEST_DURATION = "tarn.http.request.duration";
    static final String REQUEST_BYTES = "tarn.http.request.bytes";
    static final String RESPONSE_BYTES = "tarn.http.response.bytes";

    /** HTTP and block store latency buckets: 1 ms .. 30 s (plus +Inf). */
    static final Duration[] REQUEST_BUCKETS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000);

    private static final int MIN_STATUS = 100;
    private static final int MAX_STATUS = 599;

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final ConcurrentHashMap<String, SurfaceMeters> surfaces = new ConcurrentHashMap<>();
    private final AtomicInteger requestSeries = new AtomicInteger();

    private TarnMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        this.gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** A new registry of its own (not Micrometer's global one) with the JVM and process meters bound. */
    public static TarnMetrics create() {
        return new TarnMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Records one finished HTTP request.
     *
     * @param surface       the API surface: {@code classic}, {@code current}, {@code s3}, {@code ui},
     *                      {@code health}, {@code metrics}
     * @param operation     the operationId or S3 operation name; {@code null} or empty when unrouted
     * @param status        the response status code
     * @param durationNanos from the request's arrival to its last byte written
     * @param bytesIn       request body bytes read (0 if none)
     * @param bytesOut      response body bytes written (0 if none)
     */
    public void requestFinished(String surface, String operation, int status, long durationNanos,
                                long bytesIn, long bytesOut) {
        if (surface == null || surface.isEmpty()) {
            surface = UNKNOWN;
        }
        if (operation == null || operation.isEmpty()) {
            operation = UNKNOWN;
        }
        SurfaceMeters s = surfaces.get(surface);
        if (s == null) {
            s = surfaceSlow(surface);
        }
        OperationMeters op = s.operations.get(operation);
        if (op == null) {
            op = s.operationSlow(operation);
        }
        int index = status < MIN_STATUS || status > MAX_STATUS ? 0 : status - MIN_STATUS + 1;
        Timer timer = op.byStatus.get(index);
        if (timer == null) {
            timer = s.timerSlow(op, index);
        }
        timer.record(durationNanos < 0 ? 0 : durationNanos, TimeUnit.NANOSECONDS);
        if (bytesIn > 0) {
            s.requestBytes.increment(bytesIn);
        }
        if (bytesOut > 0) {
            s.responseBytes.increment(bytesOut);
        }
    }

    /**
     * A decorator of {@code kv} that times every call by operation. Closing it closes {@code kv}. A
     * PostgreSQL store also publishes its connection pool's meters ({@code hikaricp_connections_*}).
     */
    public KvStore timed(KvStore kv) {
        if (kv instanceof PostgresKvStore postgres) {
            postgres.monitor(registry);
        }
        return new TimedKvStore(kv, registry);
    }

    /** A decorator of {@code blocks} that times every call by operation and counts bytes. Closing it closes {@code blocks}. */
    public BlockStore timed(BlockStore blocks) {
        return new TimedBlockStore(blocks, registry);
    }

    /**
     * Publishes size, hits, misses, evictions (and puts/loads) of each cache, tagged {@code cache=NAME}.
     * Hits, misses and evictions are only counted for caches built with {@code recordStats()}.
     */
    public void monitorCaches(Map<String, ? extends Cache<?, ?>> caches) {
        caches.forEach((name, cache) -> CaffeineCacheMetrics.monitor(registry, cache, name));
    }

    /** The content type of {@link #scrape}'s output: {@value #CONTENT_TYPE}. */
    public String contentType() {
        return CONTENT_TYPE;
    }

    /** Writes every meter in the Prometheus text exposition format 0.0.4 to {@code out} (not closed). */
    public void scrape(OutputStream out) throws IOException {
        registry.scrape(out, CONTENT_TYPE);
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }

    // ---- the request meters, cached per surface, operation and status ----

    private synchronized SurfaceMeters surfaceSlow(String surface) {
        String name = clamp(surface);
        SurfaceMeters s = surfaces.get(name);
        if (s == null) {
            if (surfaces.size() >= MAX_SURFACES) {
                name = OTHER;
                s = surfaces.get(name);
            }
            if (s == null) {
                s = new SurfaceMeters(name);
                surfaces.put(name, s);
            }
        }
        return s;
    }

    private final class SurfaceMeters {
        final String name;
        final Counter requestBytes;
        final Counter responseBytes;
        final ConcurrentHashMap<String, OperationMeters> operations = new ConcurrentHashMap<>();

        SurfaceMeters(String name) {
            this.name = name;
            this.requestBytes = Counter.builder(REQUEST_BYTES).baseUnit("bytes")
                    .description("Request body bytes read, by API surface")
                    .tag("surface", name).register(registry);
            this.responseBytes = Counter.builder(RESPONSE_BYTES).baseUnit("bytes")
                    .description("Response body bytes written, by API surface")
                    .tag("surface", name).register(registry);
        }

        /** The meters of an operation not cached under this exact spelling yet. */
        synchronized OperationMeters operationSlow(String operation) {
            String clamped = clamp(operation);
            OperationMeters op = operations.get(clamped);
            if (op == null) {
                // A new operation name while the series cap is reached goes to OTHER, uncached,
                // so that a stream of distinct names cannot grow the map.
                if (requestSeries.get() >= MAX_REQUEST_SERIES && !clamped.equals(UNKNOWN)) {
                    clamped = OTHER;
                    op = operations.get(OTHER);
                }
                if (op == null) {
                    op = new OperationMeters(clamped);
                    operations.put(clamped, op);
                }
            }
            return op;
        }

        synchronized Timer timerSlow(OperationMeters op, int index) {
            Timer timer = op.byStatus.get(index);
            if (timer != null) {
                return timer;
            }
            OperationMeters target = op;
            if (requestSeries.get() >= MAX_REQUEST_SERIES && !op.name.equals(OTHER)) {
                // Past the cap, new series of existing operations go to OTHER as well (same status).
                target = operations.computeIfAbsent(OTHER, OperationMeters::new);
                timer = target.byStatus.get(index);
                if (timer != null) {
                    op.byStatus.set(index, timer); // later calls take the fast path to the same timer
                    return timer;
                }
            }
            timer = Timer.builder(REQUEST_DURATION)
                    .description("HTTP requests: duration from arrival to the last byte of the response; _count counts the requests")
                    .tag("surface", name)
                    .tag("operation", target.name)
                    .tag("status", index == 0 ? "0" : Integer.toString(index + MIN_STATUS - 1))
                    .serviceLevelObjectives(REQUEST_BUCKETS)
                    .register(registry);
            target.byStatus.set(index, timer);
            op.byStatus.set(index, timer);
            requestSeries.incrementAndGet();
            return timer;
        }
    }

    private static final class OperationMeters {
        final String name;
        /** Index 0: a status outside 100..599; index i: status 99 + i. */
        final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(MAX_STATUS - MIN_STATUS + 2);

        OperationMeters(String name) {
            this.name = name;
        }
    }

    /**
     * The label value for a caller-given name: {@link #UNKNOWN} for null or empty, {@link #OTHER}
     * for one longer than {@link #MAX_NAME_LENGTH} or with characters outside
     * {@code [A-Za-z0-9_.:/-]}, otherwise the name itself.
     */
    static String clamp(String name) {
        if (name == null || name.isEmpty()) {
            return UNKNOWN;
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return OTHER;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
            if (!ok) {
                return OTHER;
            }
        }
        return name;
    }

    static Duration[] millis(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1_000_000));
        }
        return out;
    }
}
