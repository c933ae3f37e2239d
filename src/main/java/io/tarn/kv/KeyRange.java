package io.tarn.kv;

import java.util.Arrays;
import java.util.Objects;

/**
 * The half-open key interval {@code [lower, upper)} that {@link KvStore#scan} and
 * {@link KvStore#deletePrefix} cover, in unsigned byte order. A {@code null} upper bound means
 * "to the end of the key space" (the prefix is empty or made only of {@code 0xFF} bytes).
 */
public final class KeyRange {

    private final byte[] lower;
    private final byte[] upper;

    private KeyRange(byte[] lower, byte[] upper) {
        this.lower = lower;
        this.upper = upper;
    }

    /** Every key that starts with {@code prefix}. */
    public static KeyRange prefix(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new KeyRange(prefix.clone(), prefixEnd(prefix));
    }

    /** The keys that start with {@code prefix} and are {@code >= from} (a {@code null} from: all). */
    public static KeyRange scan(byte[] prefix, byte[] from) {
        Objects.requireNonNull(prefix, "prefix");
        byte[] start = from == null || compare(from, prefix) < 0 ? prefix : from;
        return new KeyRange(start.clone(), prefixEnd(prefix));
    }

    /** Unsigned lexicographic order, the order of every {@link KvStore}. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /**
     * The smallest key greater than every key starting with {@code prefix}, or {@code null} if
     * there is none (empty prefix, or only {@code 0xFF} bytes).
     */
    public static byte[] prefixEnd(byte[] prefix) {
        int last = prefix.length - 1;
        while (last >= 0 && prefix[last] == (byte) 0xFF) {
            last--;
        }
        if (last < 0) {
            return null;
        }
        byte[] end = Arrays.copyOf(prefix, last + 1);
        end[last]++;
        return end;
    }

    /** Inclusive lower bound; never {@code null}. The caller must not modify it. */
    public byte[] lower() {
        return lower;
    }

    /** Exclusive upper bound, or {@code null} for none. The caller must not modify it. */
    public byte[] upper() {
        return upper;
    }

    /** True if no key can fall in this range. */
    public boolean isEmpty() {
        return upper != null && compare(lower, upper) >= 0;
    }

    public boolean contains(byte[] key) {
        return compare(key, lower) >= 0 && (upper == null || compare(key, upper) < 0);
    }

    /** True if {@code key} lies below the upper bound (whatever the lower bound). */
    public boolean below(byte[] key) {
        return upper == null || compare(key, upper) < 0;
    }
}
