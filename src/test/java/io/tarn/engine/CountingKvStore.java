package io.tarn.engine;

import io.tarn.kv.KvBatch;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link KvStore} decorator that counts {@code get}s per key, to assert how often an operation reads a record. */
final class CountingKvStore implements KvStore {

    private final KvStore inner;
    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();

    CountingKvStore(KvStore inner) {
        this.inner = inner;
    }

    /** {@code get}s since the last {@link #reset} of keys starting with {@code prefix}. */
    int gets(String prefix) {
        return gets.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    void reset() {
        gets.clear();
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        gets.computeIfAbsent(new String(key, StandardCharsets.UTF_8), k -> new AtomicInteger()).incrementAndGet();
        return inner.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        inner.put(key, value);
    }

    @Override
    public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
        return inner.compareAndSet(key, expected, update);
    }

    @Override
    public void delete(byte[] key) {
        inner.delete(key);
    }

    @Override
    public void deletePrefix(byte[] prefix) {
        inner.deletePrefix(prefix);
    }

    @Override
    public KvIterator scan(byte[] prefix, byte[] from) {
        return inner.scan(prefix, from);
    }

    @Override
    public void write(KvBatch batch) {
        inner.write(batch);
    }

    @Override
    public void close() {
        inner.close();
    }
}
