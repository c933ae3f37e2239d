package io.tarn.engine;

import io.tarn.kv.ForwardingKvStore;
import io.tarn.kv.KvStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link KvStore} decorator that counts {@code get}s per key, to assert how often an operation reads a record. */
final class CountingKvStore extends ForwardingKvStore {

    private final Map<String, AtomicInteger> gets = new ConcurrentHashMap<>();

    CountingKvStore(KvStore inner) {
        super(inner);
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
        return in.get(key);
    }
}
