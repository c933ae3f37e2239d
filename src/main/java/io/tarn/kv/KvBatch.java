package io.tarn.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A list of puts and deletes applied atomically by {@link KvStore#write}. */
public final class KvBatch {

    /** One operation of a batch; a {@code null} value means delete. */
    public record Op(byte[] key, byte[] value) {}

    private final List<Op> ops = new ArrayList<>();

    public KvBatch put(byte[] key, byte[] value) {
        ops.add(new Op(key, value));
        return this;
    }

    public KvBatch delete(byte[] key) {
        ops.add(new Op(key, null));
        return this;
    }

    public List<Op> ops() {
        return Collections.unmodifiableList(ops);
    }

    public int size() {
        return ops.size();
    }
}
