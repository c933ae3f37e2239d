package io.tarn.kv;

import java.util.List;
import java.util.Optional;

/** A {@link KvStore} that forwards every call to another: tests extend it and override only what they change. */
public class ForwardingKvStore implements KvStore {
    protected final KvStore in;

    public ForwardingKvStore(KvStore in) {
        this.in = in;
    }

    @Override
    public Optional<byte[]> get(byte[] key) {
        return in.get(key);
    }

    @Override
    public List<Optional<byte[]>> getAll(List<byte[]> keys) {
        return in.getAll(keys);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        in.put(key, value);
    }

    @Override
    public boolean compareAndSet(byte[] key, byte[] expected, byte[] update) {
        return in.compareAndSet(key, expected, update);
    }

    @Override
    public void delete(byte[] key) {
        in.delete(key);
    }

    @Override
    public void deletePrefix(byte[] prefix) {
        in.deletePrefix(prefix);
    }

    @Override
    public KvIterator scan(byte[] prefix, byte[] from) {
        return in.scan(prefix, from);
    }

    @Override
    public void write(KvBatch batch) {
        in.write(batch);
    }

    @Override
    public void close() {
        in.close();
    }
}
