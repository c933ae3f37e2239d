package io.tarn.engine.tree;

import io.tarn.engine.codec.Bytes;

/** The records of one range, decoded into memory: sorted keys and their values. Immutable. */
public final class RangeData {
    private final byte[][] keys;
    private final byte[][] values;
    private final int size;
    private final long heapBytes;

    public RangeData(byte[][] keys, byte[][] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        long b = 64;
        for (int i = 0; i < size; i++) {
            b += keys[i].length + values[i].length + 40;
        }
        this.heapBytes = b;
    }

    public int size() {
        return size;
    }

    public byte[] key(int i) {
        return keys[i];
    }

    public byte[] value(int i) {
        return values[i];
    }

    /** Approximate heap footprint, for the cache's budget. */
    public long heapBytes() {
        return heapBytes;
    }

    /** Index of the first key {@code >= key} ({@code size()} if none). */
    public int ceil(byte[] key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Bytes.compare(keys[mid], key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The value stored under {@code key}, or {@code null}. */
    public byte[] get(byte[] key) {
        int i = ceil(key);
        return i < size && Bytes.compare(keys[i], key) == 0 ? values[i] : null;
    }
}
