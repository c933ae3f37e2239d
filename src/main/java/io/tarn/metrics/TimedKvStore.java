package io.tarn.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@link KvStore} that records the latency of every call, successful or not, in
 * {@code tarn_kv_operation_duration_seconds{operation=...}}. {@code scan} is timed until the iterator
 * is returned; the entries iterators hand out are counted in {@code tarn_kv_scan_entries_total}.
 */
final class TimedKvStore implements KvStore {

    static final String DURATION = "tarn.kv.operation.duration";
    static final String SCAN_ENTRIES = "tarn.kv.scan.entries";

    /** 10 µs .. 1 s (plus +Inf): metadata calls are mostly in-process. */
    static final Duration[] BUCKETS = TarnMetrics.millis(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 50, 100, 1000);

    private final KvStore delegate;
    private final OperationTimers timers;
    private final Counter scanEntries;

    TimedKvStore(KvStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.timers = new OperationTimers(registry, DURATION,
                "Metadata store calls by operation (scan: until the iterator is open)",
                BUCKETS,
                "get", "getAll", "put", "compareAndSet", "delete", "deletePrefix", "scan", "write");
        this.scanEntries = Counter.builder(SCAN_ENTRIES)
                .description("Entries returned by metadata store scans")
                .register(registry);
    }

    private TimedKvStore(KvStore delegate, OperationTimers timers, Counter scanEntries) {
        this.delegate = delegate;
        this.timers = timers;
        this.scanEntries = scanEntries;
    }

    /** The delegate's view, timed in the same meters. */
    @Override
    public KvStore deferringSync() {
        KvStore inner = delegate.deferringSync();
        return inner == delegate ? this : new TimedKvStore(inner, timers, scanEntries);
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        return timers.of("get").record(() -> delegate.get(key));
    }

    @Override
    public List<Optional<byte[]>> getAll(List<byte[]> keys) {
        return timers.of("getAll").record(() -> delegate.getAll(keys));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        timers.of("put").record(() -> delegate.put(key, value));
    }

    @Override
    public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
        return timers.of("compareAndSet").record(() -> delegate.compareAndSet(key, expected, update));
    }

    @Override
    public void delete(byte[] key) {
        timers.of("delete").record(() -> delegate.delete(key));
    }

    @Override
    public void deletePrefix(byte[] prefix) {
        timers.of("deletePrefix").record(() -> delegate.deletePrefix(prefix));
    }

    @Override
    public KvIterator scan(byte[] prefix, byte[] from) {
        long start = System.nanoTime();
        KvIterator it;
        try {
            it = delegate.scan(prefix, from);
        } finally {
            timers.record("scan", start);
        }
        return new CountingIterator(it, scanEntries);
    }

    @Override
    public void write(KvBatch batch) {
        timers.of("write").record(() -> delegate.write(batch));
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "timed " + delegate;
    }

    /** Counts the entries handed out and adds them to the counter once, on close. */
    private static final class CountingIterator implements KvIterator {
        private final KvIterator delegate;
        private final Counter counter;
        private long count;
        private boolean closed;

        CountingIterator(KvIterator delegate, Counter counter) {
            this.delegate = delegate;
            this.counter = counter;
        }

        @Override
        public boolean hasNext() {
            return delegate.hasNext();
        }

        @Override
        public KvEntry next() {
            KvEntry e = delegate.next();
            count++;
            return e;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (count > 0) {
                    counter.increment(count);
                }
            }
            delegate.close();
        }
    }
}
