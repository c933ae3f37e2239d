package io.tarn.engine;

import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvBatch;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link KvStore} decorator that counts {@code get}s per key, to assert how often an operation reads
 * a record, and every call, to assert how many round trips an operation costs (each call is one
 * statement on PostgreSQL, except a scan that pages and a batch).
 */
final class CountingKvStore extends ForwardingKvStore {

    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    CountingKvStore(KvStore inner) {
        super(inner);
    }

    /** {@code get}s (alone or in a {@code getAll}) since the last {@link #reset} of keys starting with {@code prefix}. */
    int gets(String prefix) {
        return gets.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Calls of any kind since the last {@link #reset}. */
    int calls() {
        return calls.get();
    }

    void reset() {
        gets.clear();
        calls.set(0);
    }

    private void read(byte[] key) {
        gets.computeIfAbsent(new String(key, StandardCharsets.UTF_8), k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        calls.incrementAndGet();
        read(key);
        return in.get(key);
    }

    @Override
    public List<Optional<byte[]>> getAll(List<byte[]> keys) {
        calls.incrementAndGet();
        keys.forEach(this::read);
        return in.getAll(keys);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        calls.incrementAndGet();
        in.put(key, value);
    }

    @Override
    public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
        calls.incrementAndGet();
        return in.compareAndSet(key, expected, update);
    }

    @Override
    public void delete(byte[] key) {
        calls.incrementAndGet();
        in.delete(key);
    }

    @Override
    public void deletePrefix(byte[] prefix) {
        calls.incrementAndGet();
        in.deletePrefix(prefix);
    }

    @Override
    public KvIterator scan(byte[] prefix, byte[] from) {
        calls.incrementAndGet();
        return in.scan(prefix, from);
    }

    @Override
    public void write(KvBatch batch) {
        calls.incrementAndGet();
        in.write(batch);
    }
}
